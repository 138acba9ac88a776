// What `by-<attribute>` of a task looks up, as in taskgraph: the task's own
// fields and attributes, and the values of the run (level, project, tasks-for)
// and of the kind, which win over anything the task says; then the values of
// names a plugin's register added (registry.keyedBy), which win over the task's.
import type { KeyedByContext } from '../keyed-by.js';
import type { LoadedGraph } from '../model.js';
import { isRecord } from '../plain-data.js';
import type { Diagnostic } from '../diagnostics.js';
import { NOT_REGISTERED, pluginKeyedByValue } from '../../plugins/plugin-keyed-by.js';

const inherited = Object.prototype as unknown as Record<string, unknown>;

/**
 * What `by-<attribute>` looks at: the run's own values, then the task's fields,
 * then its attributes. The answer is the one of the object
 * `{...attributes, ...value, level, project, 'tasks-for', kind}`, looked up
 * only for the few attributes a task asks about rather than built for every
 * task (copying every field of 10,000 tasks was 4% of `generate`).
 */
export function keyedByContext(
  graph: LoadedGraph,
  kind: string,
  value: Record<string, unknown>,
  /** Where a value of a plugin's `by-<name>` (registry.keyedBy) that fails goes, with the task's label. */
  pluginProblems?: { label: string; diagnostics: Diagnostic[] },
): KeyedByContext {
  const run: Record<string, unknown> = {
    level: graph.params.level,
    project: graph.params.project,
    'tasks-for': graph.params.tasks_for,
    kind,
  };
  const attributes = isRecord(value.attributes) ? value.attributes : undefined;
  return new Proxy(run, {
    get(target, attribute) {
      if (typeof attribute !== 'string') return undefined;
      if (Object.hasOwn(target, attribute)) return target[attribute];
      if (graph.registered) {
        const registered = pluginKeyedByValue(graph, attribute, value, pluginProblems);
        if (registered !== NOT_REGISTERED) return registered;
      }
      if (Object.hasOwn(value, attribute)) return value[attribute];
      if (attributes && Object.hasOwn(attributes, attribute)) return attributes[attribute];
      return inherited[attribute];
    },
  });
}
