// Worker aliases (config.yml `workers.aliases`): a task names an alias, the
// alias says where the task runs and which payload builder applies. As in
// taskgraph: an alias key may be a regular expression matched against the
// whole worker-type, provisioner and worker-type may be keyed by level, and
// both are formatted with `{alias}`, `{level}` and `{trust-domain}`. The
// built-in worker types `succeed` and `always-optimized` need no alias.
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import type { GraphConfig, LoadedGraph, SourceMap } from '../model.js';
import { nearestKey } from '../validate/validate-schema.js';
import { matchKey } from '../keyed-by.js';
import { isRecord } from '../plain-data.js';
import { FormatError, pythonFormat } from './substitute/python-format.js';

export interface ResolvedWorker {
  alias: string;
  provisionerId: string;
  workerType: string;
  implementation: string;
  /** Absent for the built-in worker types, which run nowhere. */
  os?: string;
  /** The task's worker came from a config.yml alias (taskgraph tags only those with implementation and os). */
  fromAlias: boolean;
}

export type WorkerLookup = { worker: ResolvedWorker } | { error: string; expected?: string; at?: YamlPath } | undefined;

const BUILTIN: Readonly<Record<string, { provisionerId: string; workerType: string }>> = {
  'always-optimized': { provisionerId: 'invalid', workerType: 'always-optimized' },
  succeed: { provisionerId: 'built-in', workerType: 'succeed' },
};


/** A provisioner or worker-type: keyed by level, then formatted. */
function aliasField(value: unknown, field: string, alias: string, level: string, trustDomain: string): string | { error: string; expected?: string } {
  let node = value;
  while (isRecord(node) && Object.keys(node).length === 1 && Object.keys(node)[0]!.startsWith('by-')) {
    const byKey = Object.keys(node)[0]!;
    const alternatives = node[byKey];
    if (byKey !== 'by-level' || !isRecord(alternatives)) {
      return { error: `${field} of worker alias "${alias}" is keyed by "${byKey.slice(3)}"`, expected: 'a string, or by-level' };
    }
    const match = matchKey(Object.keys(alternatives), level);
    if (match.kind !== 'one') {
      return { error: `${field} of worker alias "${alias}" has no value for level ${level}`, expected: `a key for "${level}" or a default` };
    }
    node = alternatives[match.key];
  }
  if (typeof node !== 'string') return { error: `${field} of worker alias "${alias}" is not a string`, expected: 'a string' };
  try {
    return pythonFormat(node, { alias, level, 'trust-domain': trustDomain });
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    return { error: `${field} of worker alias "${alias}": ${error.message}`, expected: 'only {alias}, {level} and {trust-domain}' };
  }
}

/**
 * The worker a task's `worker-type` stands for at `level`: undefined when no
 * alias matches it, an error when the matching alias cannot be resolved.
 */
export function resolveWorkerAlias(config: GraphConfig, alias: string, level: string): WorkerLookup {
  // Own keys only: a worker-type such as "toString" is not a built-in.
  const builtin = Object.hasOwn(BUILTIN, alias) ? BUILTIN[alias] : undefined;
  if (builtin) return { worker: { alias, ...builtin, implementation: alias, fromAlias: false } };
  const aliases = (config.workers?.aliases ?? {}) as Record<string, unknown>;
  // An alias named `default` catches every worker-type no other key matches, as in taskgraph.
  const match = matchKey(Object.keys(aliases), alias);
  if (match.kind === 'none') return undefined;
  if (match.kind === 'several') {
    return { error: `worker-type "${alias}" matches several worker aliases: ${match.keys.map((k) => `"${k}"`).join(', ')}`, expected: 'exactly one alias key' };
  }
  const entry = aliases[match.key] as Record<string, unknown>;
  const trustDomain = config['trust-domain'];
  const provisionerId = aliasField(entry.provisioner, 'provisioner', alias, level, trustDomain);
  if (typeof provisionerId !== 'string') return { ...provisionerId, at: ['workers', 'aliases', match.key, 'provisioner'] };
  const workerType = aliasField(entry['worker-type'], 'worker-type', alias, level, trustDomain);
  if (typeof workerType !== 'string') return { ...workerType, at: ['workers', 'aliases', match.key, 'worker-type'] };
  return {
    worker: {
      alias,
      provisionerId,
      workerType,
      implementation: String(entry.implementation),
      ...(typeof entry.os === 'string' ? { os: entry.os } : {}),
      fromAlias: true,
    },
  };
}

export function knownAliases(config: GraphConfig): string[] {
  return [...Object.keys(config.workers?.aliases ?? {}), ...Object.keys(BUILTIN)].sort();
}

/**
 * The worker of a task's `worker-type`, or the located error that says why
 * there is none: a problem of the alias itself is reported in config.yml
 * (once, however many tasks use it), an unknown name at the task, with the
 * nearest known one. `hint` adds what the caller knows (why it needs one).
 */
export function workerOfTask(
  graph: LoadedGraph,
  aliasName: unknown,
  label: string,
  source: SourceMap,
  hint?: string,
): { worker: ResolvedWorker } | { diagnostic: Diagnostic } {
  const at: YamlPath = ['worker-type'];
  if (typeof aliasName !== 'string') {
    return { diagnostic: { severity: 'error', message: `task ${label} has no worker-type`, location: source.locate(at), path: at, ...(hint ? { hint } : {}) } };
  }
  const lookup = resolveWorkerAlias(graph.config, aliasName, String(graph.params.level));
  if (lookup && 'worker' in lookup) return lookup;
  if (lookup) {
    const location = (lookup.at && graph.configSource.locate(lookup.at)) || source.locate(at);
    return {
      diagnostic: {
        severity: 'error',
        // At the alias, one error for all its tasks; at the task when it is about this task's worker-type.
        message: lookup.at ? lookup.error : `${lookup.error} (task ${label})`,
        location,
        ...(lookup.at ? { path: lookup.at } : { path: at }),
        ...(lookup.expected ? { expected: lookup.expected } : {}),
      },
    };
  }
  const known = knownAliases(graph.config);
  const nearest = known.length ? nearestKey(aliasName, known) : undefined;
  const hints = [...(nearest ? [`did you mean "${nearest}"?`] : []), ...(hint ? [hint] : [])];
  return {
    diagnostic: {
      severity: 'error',
      message: `unknown worker alias "${aliasName}" (task ${label})`,
      location: source.locate(at),
      path: at,
      expected: `a worker alias under workers.aliases in config.yml, or a built-in worker type: ${known.join(', ')}`,
      ...(hints.length ? { hint: hints.join('; ') } : {}),
    },
  };
}
