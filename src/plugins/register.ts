// config.yml `taskgraph: register: module:attr`: the repository's function
// called once per generation, before the parameters are checked, as taskgraph
// calls register(graph_config). What it adds is kept in this generation's
// Registrations.
import type { Diagnostic } from '../transform/diagnostics.js';
import type { GraphConfig, SourceMap } from '../transform/model.js';
import { callPlugin, isThenable } from './call-plugin.js';
import type { PluginModules } from './load-plugin.js';
import { Registrations } from './registrations.js';

const AT = ['taskgraph', 'register'];

/**
 * Calls the `register` function config.yml names; undefined when it names
 * none, or when it could not be called (a located error in `diagnostics`).
 */
export function registerPlugins(
  taskgraphRoot: string,
  config: GraphConfig,
  configSource: SourceMap,
  modules: PluginModules,
  diagnostics: Diagnostic[],
): Registrations | undefined {
  const name = config.taskgraph?.register;
  if (typeof name !== 'string') return undefined; // absent, or already reported by the config.yml schema
  const entry = () => configSource.locate(AT);
  const error = (message: string, expected?: string) =>
    diagnostics.push({ severity: 'error', message, location: entry(), path: AT, ...(expected ? { expected } : {}) });
  const loaded = modules.attribute(name, 'register');
  if (!loaded.ok) {
    error(`register module "${name}": ${loaded.message}`, loaded.expected);
    return undefined;
  }
  const register = loaded.value;
  if (typeof register !== 'function') {
    error(`register module "${name}": ${loaded.file} exports "${loaded.name.attribute}" as ${typeof register === 'object' ? 'an object' : `a ${typeof register}`}`, 'a function register(registry)');
    return undefined;
  }
  const registrations = new Registrations(name);
  const called = callPlugin(() => register(registrations.registry(config)) as unknown, `register "${name}"`, taskgraphRoot, entry);
  registrations.close();
  if (!called.ok) {
    diagnostics.push(called.diagnostic);
    return undefined;
  }
  if (isThenable(called.value)) {
    // Swallowed so that a rejection does not end the process as unhandled; the error below says what to do.
    (called.value as Promise<unknown>).then(undefined, () => undefined);
    error(
      `register "${name}" (${loaded.file}) returned a promise: an async register is not supported yet (the pipeline is synchronous)`,
      'a register function that does its work before returning',
    );
    return undefined;
  }
  return registrations;
}
