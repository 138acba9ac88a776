// Compares a full task graph made here with the one upstream taskgraph 24.2
// made for the same tree (../shared/taskgraph-parity/<case>/expected*.json).
// Only the normalisations that the parity README names are applied: each one
// stands for a field that differs for reasons outside the task definition
// (relative times resolved at submission, ids filled in by the decision task,
// the digest of the run-task script that each tool ships), never for a
// difference in what the task does.
import { isDeepStrictEqual } from 'node:util';

export type Graph = Record<string, Record<string, unknown>>;

export interface Difference {
  label: string;
  /** Where in the entry, as `task.payload.env.FOO`; empty for a missing or extra label. */
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface Normalisation {
  /** Parameters of the run: `build_date` anchors relative times, `trust-domain` and `level` the scheduler id. */
  buildDate: number;
  schedulerId: string;
  /** The first 20 hex digits of SHA-256 of this project's run-task, in cache names. */
  runtimeDigest: string;
  /**
   * Our digest → upstream's, for digests that differ deliberately (images whose
   * context holds the runtime each tool ships: `# %include-run-task`).
   */
  digestAliases?: ReadonlyMap<string, string>;
}

/** Upstream's run-task digest, as it appears in its cache names. */
export const UPSTREAM_RUNTIME_DIGEST = 'c8442a4dac36bbb86016';

/** The two names upstream gives the multi-repository checkout cache, depending on Python's set order. */
const CHECKOUT_REPOS_SORTED = '11a502c8d70ef2944c0b90b28de0c0d22e37d09220d3539da200d96db5854370';
const CHECKOUT_REPOS_REVERSED = '4859b1fd879bd02a67e350b6ade66b5825da3598d5461ff41f457a5c81037857';

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, second: 1, seconds: 1,
  min: 60, minute: 60, minutes: 60,
  h: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  mo: 30 * 86400, month: 30 * 86400, months: 30 * 86400,
  y: 365 * 86400, year: 365 * 86400, years: 365 * 86400,
};

/** `{"relative-datestamp": "1 year"}` as the timestamp it becomes at submission. */
export function resolveRelative(text: string, buildDate: number): string {
  let seconds = 0;
  const re = /(-?\d+)\s*([a-z]+)/g;
  let matched = false;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const unit = UNIT_SECONDS[m[2]!];
    if (unit === undefined) throw new Error(`unknown unit in relative-datestamp "${text}"`);
    seconds += Number(m[1]) * unit;
    matched = true;
  }
  if (!matched) throw new Error(`cannot read relative-datestamp "${text}"`);
  return new Date((buildDate + seconds) * 1000).toISOString();
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKey = (v: Record<string, unknown>, key: string) => Object.keys(v).length === 1 && key in v;

/** Applies `fn` bottom-up to every value. */
function mapDeep(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return fn(value.map((v) => mapDeep(v, fn)));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k) as string] = mapDeep(v, fn);
    return fn(out);
  }
  return fn(value);
}

/**
 * The plain form of a value once submitted: a `task-reference` without any
 * `<name>` in it is its content (upstream wraps every docker-worker cache and
 * cache scope, with or without a reference); one that still names a task stays.
 */
function unwrapReference(value: unknown): unknown {
  if (!isRecord(value) || !onlyKey(value, 'task-reference')) return value;
  const inner = value['task-reference'];
  if (typeof inner === 'string') return /<[^<>]+>/.test(inner) ? value : inner;
  return inner;
}

function normaliseEntry(entry: Record<string, unknown>, side: 'expected' | 'actual', n: Normalisation): Record<string, unknown> {
  const out: Record<string, unknown> = { description: '', soft_dependencies: [], if_dependencies: [], ...entry };
  const rewrite = (v: unknown): unknown => {
    if (isRecord(v) && onlyKey(v, 'relative-datestamp') && typeof v['relative-datestamp'] === 'string') {
      return resolveRelative(v['relative-datestamp'], n.buildDate);
    }
    if (typeof v === 'string') return side === 'actual' ? rewriteActualString(v, n) : v;
    return unwrapReference(v);
  };
  const task = mapDeep(out.task, rewrite);
  if (isRecord(task)) {
    // generic-worker tasks mount each tool's own runtime from where that tool
    // publishes it: the run-task mount is compared by its file name only, and
    // taskgraph's fetch-content mount is left out (this project's run-task
    // downloads MOZ_FETCHES itself and mounts nothing for it).
    const payload = task.payload;
    if (isRecord(payload) && Array.isArray(payload.mounts)) {
      payload.mounts = payload.mounts
        .filter((m) => !(isRecord(m) && m.file === './fetch-content'))
        .map((m) => (isRecord(m) && m.file === './run-task' ? { file: m.file, content: '(the runtime of each tool)' } : m));
    }
    if (side === 'actual') {
      // Filled in at submission; upstream leaves both out of the full graph.
      if (isDeepStrictEqual(task.taskGroupId, { 'task-reference': '<decision>' })) delete task.taskGroupId;
      if (task.schedulerId === n.schedulerId) delete task.schedulerId;
      const extra = task.extra;
      // Upstream writes the decision task's own id, which outside a task is "".
      if (isRecord(extra) && isDeepStrictEqual(extra.parent, { 'task-reference': '<decision>' })) extra.parent = '';
    }
    out.task = task;
  }
  out.attributes = mapDeep(out.attributes, side === 'actual' ? (v) => (typeof v === 'string' ? rewriteActualString(v, n) : v) : (v) => v);
  out.optimization = mapDeep(out.optimization, side === 'actual' ? (v) => (typeof v === 'string' ? rewriteActualString(v, n) : v) : (v) => v);
  return out;
}

function rewriteActualString(text: string, n: Normalisation): string {
  let out = text.split(`-v3-${n.runtimeDigest}`).join(`-v3-${UPSTREAM_RUNTIME_DIGEST}`);
  out = out.split(CHECKOUT_REPOS_REVERSED).join(CHECKOUT_REPOS_SORTED);
  if (n.digestAliases) for (const [ours, theirs] of n.digestAliases) out = out.split(ours).join(theirs);
  return out;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? '(absent)' : text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function diffValues(label: string, path: string, expected: unknown, actual: unknown, out: Difference[]): void {
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      diffValues(label, path ? `${path}.${key}` : key, expected[key], actual[key], out);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    expected.forEach((item, i) => diffValues(label, `${path}[${i}]`, item, actual[i], out));
    return;
  }
  if (!isDeepStrictEqual(expected, actual)) out.push({ label, path, expected, actual });
}

export function compareGraphs(expected: Graph, actual: Graph, n: Normalisation): Difference[] {
  const out: Difference[] = [];
  for (const label of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const e = expected[label];
    const a = actual[label];
    if (!e || !a) {
      out.push({ label, path: '', expected: e ? 'present' : undefined, actual: a ? 'present' : undefined });
      continue;
    }
    diffValues(label, '', normaliseEntry(e, 'expected', n), normaliseEntry(a, 'actual', n), out);
  }
  return out;
}

/** One line per difference: label, path, both values. */
export function formatDifferences(differences: readonly Difference[], limit = 60): string {
  const lines = differences
    .slice(0, limit)
    .map((d) => (d.path ? `${d.label}: ${d.path}: expected ${describe(d.expected)}, got ${describe(d.actual)}` : `${d.label}: ${d.expected ? 'missing' : 'not in upstream\'s graph'}`));
  if (differences.length > limit) lines.push(`... and ${differences.length - limit} more`);
  return lines.join('\n');
}
