// The loading stage: a taskgraph tree (config.yml, kinds/*/kind.yml) and the
// parameters in, plain data with positions out. Every problem in every file is
// collected first and then reported together.
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DiagnosticsError, type Diagnostic } from '../diagnostics.js';
import type { GraphConfig, LoadedGraph, LoadedKind, SourceMap } from '../model.js';
import { validateValue } from '../validate/validate-schema.js';
import { orderKinds } from './kind-order.js';
import { setLimits, type Limits } from './limits.js';
import { loadKind } from './load-kind.js';
import { loadParameters } from './parameters.js';
import { fileSource } from './source-map.js';
import { leavesRepository } from './tree-paths.js';
import { parseYamlFile } from './yaml-document.js';
import { isRecord } from '../plain-data.js';
import { PluginModules } from '../../plugins/load-plugin.js';
import { pluginParameters } from '../../plugins/plugin-parameters.js';
import { registerPlugins } from '../../plugins/register.js';

export interface LoadOptions {
  root: string;
  paramsFile?: string;
  /** From `-p key=value`; values are read as YAML scalars. */
  overrides?: Record<string, string>;
  /**
   * Load only these kinds, plus the kinds `alsoLoad` asks for (transitively):
   * one share of a graph generated in parallel. Default: every kind.
   */
  only?: { kinds: readonly string[]; alsoLoad(kind: LoadedKind): readonly string[] };
  /** Limits given on the command line; the others keep their defaults (limits.ts). */
  limits?: Partial<Limits>;
  /** Parameter defaults before taskgraph's, e.g. from the checkout when there is no parameters file. */
  defaultParameters?: Record<string, unknown>;
}

export async function loadGraph(options: LoadOptions): Promise<LoadedGraph> {
  const root = resolve(options.root);
  setLimits(options.limits);
  const diagnostics: Diagnostic[] = [];
  const before = diagnostics.length;
  const { config, configSource } = loadConfig(root, diagnostics);
  const configRead = diagnostics.length === before;
  const declared = config.taskgraph?.repositories;
  // taskgraph: register: runs before the parameters are checked: it may declare some.
  const plugins = new PluginModules(root);
  const registered = configRead ? await registerPlugins(root, config, configSource, plugins, diagnostics) : undefined;
  const { params } = loadParameters(options.paramsFile, options.overrides, diagnostics, {
    ...(configRead ? { repositories: isRecord(declared) ? declared : {} } : {}),
    registersCode: config.taskgraph?.register !== undefined,
    ...(options.defaultParameters ? { defaults: options.defaultParameters } : {}),
    ...(registered?.parameters.length ? { extra: pluginParameters(registered, config, configSource, root) } : {}),
  });
  if (params.trust_domain === undefined && typeof config['trust-domain'] === 'string') params.trust_domain = config['trust-domain'];
  const names = kindNames(root, diagnostics);
  const kinds = loadKinds(root, names, options.only, diagnostics);
  const ordered = orderKinds(kinds, diagnostics, new Set(names));
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticsError(diagnostics);
  return { root, config, configSource, params, kinds: ordered, warnings: diagnostics, plugins, ...(registered ? { registered } : {}) };
}

function loadConfig(root: string, diagnostics: Diagnostic[]): { config: GraphConfig; configSource: SourceMap } {
  const file = join(root, 'config.yml');
  const empty = { config: {} as GraphConfig, configSource: fileSource(file) };
  if (!existsSync(file)) {
    const nested = join(root, 'taskcluster', 'config.yml');
    diagnostics.push({
      severity: 'error',
      message: existsSync(root)
        ? `${root} has no config.yml, so it is not the root of a taskgraph tree`
        : `the root directory ${root} does not exist`,
      hint: existsSync(nested)
        ? `did you mean --root ${join(root, 'taskcluster')}?`
        : 'point --root at the directory that holds config.yml and kinds/',
    });
    return empty;
  }
  try {
    const { value, source, warnings } = parseYamlFile(file);
    diagnostics.push(...warnings);
    if (!isRecord(value)) {
      diagnostics.push({ severity: 'error', message: 'config.yml must be a map', path: [], location: source.locate([]) });
      return { ...empty, configSource: source };
    }
    diagnostics.push(...validateValue('graph-config', value, source));
    return { config: value as GraphConfig, configSource: source };
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    diagnostics.push(...error.diagnostics);
    return empty;
  }
}

/** The kinds of the tree: the directories under kinds/, sorted. */
export function kindNames(root: string, diagnostics: Diagnostic[] = []): string[] {
  const kindsDir = join(root, 'kinds');
  if (!existsSync(root)) return []; // already reported with config.yml
  if (!existsSync(kindsDir)) {
    diagnostics.push({ severity: 'error', message: `${root} has no kinds/ directory`, hint: 'add kinds/<kind>/kind.yml for each kind of tasks' });
    return [];
  }
  const names: string[] = [];
  for (const entry of readdirSync(kindsDir, { withFileTypes: true })) {
    if (entry.isDirectory()) names.push(entry.name);
    if (!entry.isSymbolicLink()) continue;
    // A link is followed, as taskgraph follows it, within the repository (tree-paths.ts).
    const path = join(kindsDir, entry.name);
    const problem = leavesRepository(path, root, `kind "${entry.name}"`);
    if (problem) {
      diagnostics.push(problem);
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      diagnostics.push({
        severity: 'error',
        message: `kind "${entry.name}" is a symbolic link to ${readlinkSync(path)}, which does not exist`,
        location: { file: path, line: 1, column: 1 },
        hint: 'fix or remove the link',
      });
    }
    if (isDirectory) names.push(entry.name);
  }
  return names.sort();
}

/**
 * The kinds `names` (those that exist), each followed by the kinds
 * `only.alsoLoad` asks for, transitively; every kind when `only` is absent.
 */
export function loadKinds(
  root: string,
  existing: readonly string[],
  only: LoadOptions['only'],
  diagnostics: Diagnostic[],
): LoadedKind[] {
  const kindsDir = join(root, 'kinds');
  const exists = new Set(existing);
  const queue = only ? only.kinds.filter((name) => exists.has(name)) : [...existing];
  const queued = new Set(queue);
  const kinds: LoadedKind[] = [];
  for (let i = 0; i < queue.length; i++) {
    const kind = loadKind(kindsDir, queue[i]!, diagnostics);
    if (!kind) continue;
    kinds.push(kind);
    for (const extra of only?.alsoLoad(kind) ?? []) {
      if (exists.has(extra) && !queued.has(extra)) {
        queued.add(extra);
        queue.push(extra);
      }
    }
  }
  return kinds;
}
