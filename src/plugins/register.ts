// config.yml `taskgraph: register: module:attr`: the repository's function
// called once per generation, before the parameters are checked, as taskgraph
// calls register(graph_config). What it adds is kept in this generation's
// Registrations.
import type { Diagnostic } from '../transform/diagnostics.js';
import type { GraphConfig, SourceMap } from '../transform/model.js';
import { callPlugin, isThenable } from './call-plugin.js';
import type { PluginModules } from './load-plugin.js';
import { describeValue } from './plugin-output.js';
import { Registrations } from './registrations.js';
import { untilSettled } from './until-settled.js';
import { parseModuleName, pythonModuleFile, resolveModule } from './resolve-module.js';

const AT = ['taskgraph', 'register'];

/**
 * A warning when `name` resolves to no TypeScript or JavaScript file: the
 * tree's register is still the Python one taskgraph runs (every taskgraph
 * tree has one), which used to be ignored here; the tree keeps working
 * without what it registers. Anything else wrong with it is an error.
 */
function notPorted(name: string, taskgraphRoot: string): Pick<Diagnostic, 'message' | 'hint'> | undefined {
  const parsed = parseModuleName(name, 'register');
  if (!parsed) return undefined; // reported by modules.attribute
  const found = resolveModule(parsed.module, taskgraphRoot);
  if (!('lookedFor' in found)) return undefined;
  const python = pythonModuleFile(parsed.module, taskgraphRoot);
  return {
    message: python
      ? `register "${name}" is Python (${python}), which tc-payload does not run: the parameters, keyed-by values, run.using implementations and payload builders it registers are missing`
      : `register "${name}" names no TypeScript or JavaScript file (looked for ${found.lookedFor.join(', ')}): it is not run`,
    hint: 'write it in TypeScript beside the Python module (docs/plugins.md, "register")',
  };
}

/**
 * Calls the `register` function config.yml names, and waits for it when it is
 * async; undefined when it names
 * none, or when it could not be called (a located error in `diagnostics`).
 */
export async function registerPlugins(
  taskgraphRoot: string,
  config: GraphConfig,
  configSource: SourceMap,
  modules: PluginModules,
  diagnostics: Diagnostic[],
): Promise<Registrations | undefined> {
  const name = config.taskgraph?.register;
  if (typeof name !== 'string') return undefined; // absent, or already reported by the config.yml schema
  const entry = () => configSource.locate(AT);
  const error = (message: string, expected?: string) =>
    diagnostics.push({ severity: 'error', message, location: entry(), path: AT, ...(expected ? { expected } : {}) });
  const missing = notPorted(name, taskgraphRoot);
  if (missing) {
    diagnostics.push({ severity: 'warning', location: entry(), path: AT, ...missing });
    return undefined;
  }
  const loaded = modules.attribute(name, 'register');
  if (!loaded.ok) {
    error(`register module "${name}": ${loaded.message}`, loaded.expected);
    return undefined;
  }
  const register = loaded.value;
  if (typeof register !== 'function') {
    error(`register module "${name}": ${loaded.file} exports "${loaded.name.attribute}" as ${describeValue(register)}`, 'a function register(registry)');
    return undefined;
  }
  const registrations = new Registrations(name);
  const called = callPlugin(() => register(registrations.registry(config)) as unknown, `register "${name}"`, taskgraphRoot, entry);
  if (!called.ok) {
    registrations.close();
    diagnostics.push(called.diagnostic);
    return undefined;
  }
  if (isThenable(called.value)) {
    // An async register: what it adds before its promise settles counts; a rejection is located as a throw is.
    const settled = await untilSettled((called.value as Promise<unknown>).then(
      () => undefined,
      (reason: unknown) => reason ?? new Error('rejected without a reason'),
    ));
    registrations.close();
    if (!settled.settled) {
      error(`register "${name}" (${loaded.file}) returned a promise that never settles: nothing was left running that could settle it`, 'a register whose promise resolves once it has registered everything');
      return undefined;
    }
    if (settled.value !== undefined) {
      const rejected = callPlugin(() => { throw settled.value; }, `register "${name}"`, taskgraphRoot, entry);
      if (!rejected.ok) diagnostics.push(rejected.diagnostic);
      return undefined;
    }
    return registrations;
  }
  registrations.close();
  return registrations;
}
