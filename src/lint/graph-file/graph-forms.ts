// The three JSON forms of a task graph lint reads, told apart by their
// entries, and turned into one shape (label, dependencies by label, the task
// definition):
//
//   full-task-graph.json   label → {label, kind, dependencies: name → label, task, …}   (taskgraph full --json)
//   task-graph.json        taskId → {label, task_id, dependencies: name → taskId, task, …}   (the decision task's artifact)
//   --resolve output       taskId → task definition (tags.label or metadata.name is the label)   (tc-payload generate --resolve)
import { isRecord } from '../../transform/plain-data.js';

export type GraphForm = 'full-task-graph' | 'task-graph' | 'resolved';

export interface GraphEntry {
  /** The key of the entry in the file (a label or a task id). */
  key: string;
  label: string;
  kind: string;
  attributes: Record<string, unknown>;
  /** Dependency name → label (a task id that names no task of the file stays as it is). */
  dependencies: Record<string, string>;
  /** The Taskcluster task definition. */
  definition: Record<string, unknown>;
}

export type FormResult = { ok: true; form: GraphForm; entries: GraphEntry[] } | { ok: false; key?: string; problem: string };

const isWrapped = (v: Record<string, unknown>) => typeof v.label === 'string' && isRecord(v.task);
const isDefinition = (v: Record<string, unknown>) => isRecord(v.payload) && (typeof v.workerType === 'string' || typeof v.provisionerId === 'string' || isRecord(v.metadata));

function labelOfDefinition(definition: Record<string, unknown>, key: string): string {
  const tags = definition.tags;
  if (isRecord(tags) && typeof tags.label === 'string') return tags.label;
  const metadata = definition.metadata;
  if (isRecord(metadata) && typeof metadata.name === 'string') return metadata.name;
  return key;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function readGraphForm(data: unknown): FormResult {
  if (!isRecord(data)) return { ok: false, problem: 'the file is not a JSON object of tasks' };
  const keys = Object.keys(data);
  if (keys.length === 0) return { ok: true, form: 'full-task-graph', entries: [] };
  const first = data[keys[0]!];
  if (!isRecord(first)) return { ok: false, key: keys[0], problem: 'an entry is not an object' };
  if (isWrapped(first)) {
    const byTaskId = typeof first.task_id === 'string' && first.task_id === keys[0] && first.label !== keys[0];
    const form: GraphForm = byTaskId ? 'task-graph' : 'full-task-graph';
    const entries: GraphEntry[] = [];
    for (const key of keys) {
      const v = data[key];
      if (!isRecord(v) || !isWrapped(v)) return { ok: false, key, problem: 'an entry without a label and a task, unlike the entries before it' };
      entries.push({
        key,
        label: v.label as string,
        kind: typeof v.kind === 'string' ? v.kind : '',
        attributes: isRecord(v.attributes) ? v.attributes : {},
        dependencies: stringMap(v.dependencies),
        definition: v.task as Record<string, unknown>,
      });
    }
    if (form === 'task-graph') relabel(entries);
    return { ok: true, form, entries };
  }
  if (isDefinition(first)) {
    const entries: GraphEntry[] = [];
    for (const key of keys) {
      const v = data[key];
      if (!isRecord(v) || !isDefinition(v)) return { ok: false, key, problem: 'an entry that is not a task definition, unlike the entries before it' };
      const ids = Array.isArray(v.dependencies) ? v.dependencies.filter((d): d is string => typeof d === 'string') : [];
      const tags = isRecord(v.tags) ? v.tags : {};
      entries.push({
        key,
        label: labelOfDefinition(v, key),
        kind: typeof tags.kind === 'string' ? tags.kind : '',
        attributes: {},
        dependencies: Object.fromEntries(ids.map((id) => [id, id])),
        definition: v,
      });
    }
    relabel(entries);
    // Named by the label they stand for, as in the other forms.
    for (const e of entries) e.dependencies = Object.fromEntries(Object.values(e.dependencies).map((l) => [l, l]));
    return { ok: true, form: 'resolved', entries };
  }
  return {
    ok: false,
    key: keys[0],
    problem: 'its entries are neither taskgraph tasks ({label, task, …}) nor task definitions ({payload, workerType, …})',
  };
}

/** Dependencies given by task id become labels, where the id is a task of the file. */
function relabel(entries: GraphEntry[]): void {
  const labelOf = new Map(entries.map((e) => [e.key, e.label] as const));
  for (const e of entries) {
    for (const [name, id] of Object.entries(e.dependencies)) e.dependencies[name] = labelOf.get(id) ?? id;
  }
}
