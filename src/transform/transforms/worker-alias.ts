// Worker aliases (config.yml `workers.aliases`): a task names an alias, the
// alias says where the task runs and which payload builder applies. As in
// taskgraph: an alias key may be a regular expression matched against the
// whole worker-type, provisioner and worker-type may be keyed by level, and
// both are formatted with `{alias}`, `{level}` and `{trust-domain}`. The
// built-in worker types `succeed` and `always-optimized` need no alias.
import type { GraphConfig } from '../model.js';
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

export type WorkerLookup = { worker: ResolvedWorker } | { error: string; expected?: string } | undefined;

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
  if (typeof provisionerId !== 'string') return provisionerId;
  const workerType = aliasField(entry['worker-type'], 'worker-type', alias, level, trustDomain);
  if (typeof workerType !== 'string') return workerType;
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
