// The unresolved output: taskgraph's JSON shape, label → {kind, label,
// attributes, dependencies, optimization, task, description,
// soft_dependencies, if_dependencies}, in the order the pipeline
// produced the tasks. Task references stay as {"task-reference": …} objects,
// and dependencies appear only here at the top level (name → label), never
// inside `task`, as in taskgraph's output.
import { DiagnosticsError } from '../diagnostics.js';
import type { GeneratedTask } from '../model.js';

/** A generated task without what only this tool needs (source, warnings, implementation). */
export type TaskgraphJsonTask = Pick<GeneratedTask, 'kind' | 'label' | 'attributes' | 'dependencies' | 'optimization' | 'task'> & {
  description: string;
  soft_dependencies: string[];
  if_dependencies: string[];
};

export function toTaskgraphJson(tasks: readonly GeneratedTask[]): Record<string, TaskgraphJsonTask> {
  const out: Record<string, TaskgraphJsonTask> = {};
  const seen = new Map<string, GeneratedTask>();
  for (const t of tasks) {
    const first = seen.get(t.label);
    if (first) {
      // Earlier stages reject duplicate labels; should one slip through, one
      // task must not silently replace the other in the output.
      throw new DiagnosticsError([
        {
          severity: 'error',
          location: t.source.locate([]),
          message: `two tasks have the label ${t.label} (kinds ${first.kind} and ${t.kind}); labels must be unique`,
        },
      ]);
    }
    seen.set(t.label, t);
    const entry: TaskgraphJsonTask = {
      kind: t.kind,
      label: t.label,
      attributes: t.attributes,
      dependencies: t.dependencies,
      optimization: t.optimization,
      task: t.task,
      // Written always, as taskgraph writes them.
      description: t.description ?? '',
      soft_dependencies: t.softDependencies ?? [],
      if_dependencies: t.ifDependencies ?? [],
    };
    // A plain assignment would set the prototype for a task labelled __proto__;
    // every other label takes the (much faster) assignment.
    if (t.label === '__proto__') {
      Object.defineProperty(out, t.label, { value: entry, enumerable: true, writable: true, configurable: true });
    } else {
      out[t.label] = entry;
    }
  }
  return out;
}
