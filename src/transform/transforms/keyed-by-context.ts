// What `by-<attribute>` of a task looks up, as in taskgraph: the task's own
// fields and attributes, and the values of the run (level, project, tasks-for)
// and of the kind, which win over anything the task says.
import type { KeyedByContext } from '../keyed-by.js';
import type { LoadedGraph } from '../model.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `by-<attribute>` looks at: the task's attributes and fields, then the run's own values. */
export function keyedByContext(graph: LoadedGraph, kind: string, value: Record<string, unknown>): KeyedByContext {
  return {
    ...(isRecord(value.attributes) ? value.attributes : {}),
    ...value,
    level: graph.params.level,
    project: graph.params.project,
    'tasks-for': graph.params.tasks_for,
    kind,
  };
}
