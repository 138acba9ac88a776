// A task's `fetches:` (taskgraph's use_fetches): each artifact becomes a
// dependency on the task that makes it and an entry of MOZ_FETCHES, the list
// run-task downloads into MOZ_FETCHES_DIR before the command. Kept apart from
// the run transform so that anything producing `fetches` (from_deps, say) can
// go through it.
//
// `fetch` and `toolchain` entries name a task of that kind (or its alias); its
// artifact path is the task's `fetch-artifact` / `toolchain-artifact`
// attribute. Any other key is a dependency name of the task, and its entries
// are artifact paths below that dependency's artifact prefix.
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { isRecord } from '../plain-data.js';
import { validateValue } from '../validate/validate-schema.js';
import type { GeneratedTask } from '../model.js';
import type { TransformContext, TransformItem } from './types.js';

/** The artifact prefix of a task without an `artifact_prefix` attribute. */
export const DEFAULT_ARTIFACT_PREFIX = 'public/build';

const FETCH_KINDS = ['fetch', 'toolchain'] as const;
type FetchKind = (typeof FETCH_KINDS)[number];

interface FetchableTask {
  kind: FetchKind;
  artifact: string;
  env?: Record<string, unknown>;
}

interface MozFetch {
  artifact: string;
  dest?: string;
  extract: boolean;
  task: string;
  'verify-hash'?: true;
}

export function artifactPrefix(attributes: unknown): string {
  const prefix = isRecord(attributes) ? attributes.artifact_prefix : undefined;
  return typeof prefix === 'string' && prefix !== '' ? prefix : DEFAULT_ARTIFACT_PREFIX;
}

const labelOf = (item: TransformItem): string => (typeof item.value.label === 'string' ? item.value.label : `${item.kind}-${item.name}`);

/** The fetch and toolchain tasks `fetches` may name: label → artifact, and `<kind>-<alias>` → label. */
function fetchableTasks(items: TransformItem[], earlier: readonly GeneratedTask[]) {
  const tasks = new Map<string, FetchableTask>();
  const aliases = new Map<string, string>();
  const add = (kind: string, label: string, attributes: Record<string, unknown>, run: Record<string, unknown>, withEnv: boolean) => {
    if (!(FETCH_KINDS as readonly string[]).includes(kind)) return;
    const fetchKind = kind as FetchKind;
    const artifact = attributes[`${kind}-artifact`] ?? run[`${kind}-artifact`];
    if (typeof artifact !== 'string' || artifact === '') return;
    const env = withEnv ? attributes[`${kind}-env`] : undefined;
    tasks.set(label, { kind: fetchKind, artifact, ...(isRecord(env) ? { env } : {}) });
    // A list of aliases is kept as an attribute, but fetches cannot name it (as in taskgraph).
    const alias = attributes[`${kind}-alias`] ?? run[`${kind}-alias`];
    if (typeof alias === 'string' && alias !== '') aliases.set(`${kind}-${alias}`, label);
  };
  for (const task of earlier) add(task.kind, task.label, task.attributes, {}, true);
  // Tasks of this kind (a toolchain fetching another toolchain) are not
  // transformed yet; as in taskgraph, their toolchain-env is not applied.
  for (const item of items) {
    add(item.kind, labelOf(item), isRecord(item.value.attributes) ? item.value.attributes : {}, isRecord(item.value.run) ? item.value.run : {}, false);
  }
  return { tasks, aliases };
}

/** taskgraph writes MOZ_FETCHES with Python's json.dumps: compact, sorted keys, non-ASCII escaped. */
export function pythonCompactJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : isRecord(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
        : v;
  return JSON.stringify(sorted(value)).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Entry = { artifact: string; dest?: string; extract?: boolean; 'verify-hash'?: boolean };

const entryOf = (raw: unknown): Entry => (typeof raw === 'string' ? { artifact: raw } : (raw as Entry));

/** Sorted by artifact as taskgraph does, keeping each entry's index for error locations. */
function sortedEntries(list: unknown[]): { entry: Entry; index: number }[] {
  return list
    .map((raw, index) => ({ entry: entryOf(raw), index }))
    .sort((a, b) => (a.entry.artifact < b.entry.artifact ? -1 : a.entry.artifact > b.entry.artifact ? 1 : 0));
}

function mozFetch(artifact: string, task: string, entry: Entry): MozFetch {
  const fetch: MozFetch = { artifact, extract: entry.extract ?? true, task };
  if (entry.dest !== undefined) fetch.dest = entry.dest;
  if (entry['verify-hash']) fetch['verify-hash'] = true;
  return fetch;
}

/**
 * Items with `fetches` come back without it, with the dependencies, worker
 * env (MOZ_FETCHES, MOZ_FETCHES_DIR, toolchain-env), proxy and scopes it
 * implies; an item with a wrong `fetches` is reported and left out.
 */
export function applyFetches(items: TransformItem[], context: TransformContext): TransformItem[] {
  if (!items.some((item) => item.value.fetches !== undefined)) return items;
  // As taskgraph: only the tasks of the kind-dependencies (and of this kind) can be fetched.
  const dependencyTasks = context.kindDependencyTasks();
  const earlier = new Map(dependencyTasks.map((t) => [t.label, t] as const));
  const fetchable = fetchableTasks(items, dependencyTasks);
  const prefixes = new Map<string, string>();
  for (const item of items) prefixes.set(labelOf(item), artifactPrefix(item.value.attributes));
  const out: TransformItem[] = [];
  for (const item of items) {
    if (item.value.fetches === undefined) {
      out.push(item);
      continue;
    }
    const applied = applyTo(item, fetchable, prefixes, earlier, context);
    if (applied) out.push(applied);
    else context.failed?.add(labelOf(item));
  }
  return out;
}

function applyTo(
  item: TransformItem,
  fetchable: ReturnType<typeof fetchableTasks>,
  sameKindPrefixes: Map<string, string>,
  earlier: ReadonlyMap<string, GeneratedTask>,
  context: TransformContext,
): TransformItem | undefined {
  const { fetches, ...value } = item.value;
  const label = labelOf(item);
  const located = (path: YamlPath, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
    severity: 'error',
    message,
    path,
    location: item.source.locate(path),
    ...extra,
  });
  const problems = validateValue('fetches', fetches, item.source, ['fetches']);
  if (problems.length) {
    context.diagnostics.push(...problems);
    return undefined;
  }
  const byKind = fetches as Record<string, unknown[]>;
  if (Object.keys(byKind).every((kind) => byKind[kind]!.length === 0)) return { ...item, value };

  const dependencies: Record<string, unknown> = { ...(isRecord(value.dependencies) ? value.dependencies : {}) };
  const worker: Record<string, unknown> = { ...(isRecord(value.worker) ? value.worker : {}) };
  const env: Record<string, unknown> = { ...(isRecord(worker.env) ? worker.env : {}) };
  const fetchList: MozFetch[] = [];
  const errors: Diagnostic[] = [];
  const skippedFor: Diagnostic[] = [];

  for (const kind of Object.keys(byKind).sort()) {
    const list = byKind[kind]!;
    if ((FETCH_KINDS as readonly string[]).includes(kind)) {
      for (const { entry, index } of sortedEntries(list)) {
        const name = entry.artifact;
        const named = `${kind}-${name}`;
        const fetchLabel = fetchable.aliases.get(named) ?? named;
        const task = fetchable.tasks.get(fetchLabel);
        const at = typeof list[index] === 'string' ? ['fetches', kind, index] : ['fetches', kind, index, 'artifact'];
        if (!task && context.failedEarlier?.has(named)) {
          skippedFor.push({
            ...located(at, `task ${label} was skipped because ${named}, which it fetches "${name}" from, failed`),
            severity: 'warning',
          });
          continue;
        }
        if (!task || task.kind !== kind) {
          const known = [...fetchable.tasks.entries()].filter(([, t]) => t.kind === kind).map(([l]) => l.slice(kind.length + 1));
          const knownAliases = [...fetchable.aliases.keys()].filter((a) => a.startsWith(`${kind}-`)).map((a) => a.slice(kind.length + 1));
          errors.push(
            located(at, `task ${label} fetches "${name}" from kind ${kind}, but there is no ${kind} task of that name or alias`, {
              expected: known.length ? `one of: ${[...new Set([...known, ...knownAliases])].sort().join(', ')}` : `a task of kind ${kind}`,
              hint: known.length ? undefined : `list \`${kind}\` under kind-dependencies in this kind's kind.yml`,
            }),
          );
          continue;
        }
        if (task.env) Object.assign(env, task.env);
        dependencies[fetchLabel] = fetchLabel;
        fetchList.push(mozFetch(task.artifact, `<${fetchLabel}>`, entry));
      }
      continue;
    }
    const dependencyLabel = dependencies[kind];
    if (typeof dependencyLabel !== 'string') {
      errors.push(
        located(['fetches', kind], `task ${label} fetches artifacts of "${kind}", which is not one of its dependencies`, {
          expected: `fetch, toolchain, or a dependency name: ${Object.keys(dependencies).join(', ') || '(none)'}`,
          hint: `add \`dependencies: {${kind}: <label>}\` to the task`,
        }),
      );
      continue;
    }
    let prefix = sameKindPrefixes.get(dependencyLabel);
    if (prefix === undefined) {
      const found = earlier.get(dependencyLabel);
      if (!found) {
        errors.push(
          located(['fetches', kind], `task ${label} fetches artifacts of dependency "${kind}" (${dependencyLabel}), which is not a task of this kind or of its kind-dependencies`, {
            hint: "list the dependency's kind under kind-dependencies in kind.yml",
          }),
        );
        continue;
      }
      prefix = artifactPrefix(found.attributes);
    }
    for (const { entry } of sortedEntries(list)) fetchList.push(mozFetch(`${prefix}/${entry.artifact}`, `<${kind}>`, entry));
  }
  if (errors.length || skippedFor.length) {
    context.diagnostics.push(...errors, ...skippedFor);
    return undefined;
  }

  // Artifacts outside public/ are fetched through the proxy, with a scope per prefix.
  const privatePrefixes = [...new Set(fetchList.filter((f) => !f.artifact.startsWith('public/')).map((f) => dirname(f.artifact)))].sort();
  let scopes = value.scopes;
  if (privatePrefixes.length) {
    worker['taskcluster-proxy'] = true;
    const list: unknown[] = Array.isArray(scopes) ? [...scopes] : [];
    for (const prefix of privatePrefixes) {
      const scope = `queue:get-artifact:${prefix}/*`;
      if (!list.includes(scope)) list.push(scope);
    }
    scopes = list;
  }
  env.MOZ_FETCHES = { 'task-reference': pythonCompactJson(fetchList) };
  if (env.MOZ_FETCHES_DIR === undefined) env.MOZ_FETCHES_DIR = 'fetches';
  worker.env = env;
  const result: Record<string, unknown> = { ...value, dependencies, worker };
  if (scopes !== undefined) result.scopes = scopes;
  return { ...item, value: result };
}

/** The directory part of an artifact path, as Python's posixpath.dirname. */
function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash === -1) return '';
  const head = path.slice(0, slash + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}
