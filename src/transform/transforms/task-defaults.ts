// config.yml's task defaults (task-priority, task-deadline-after,
// task-expires-after): resolved once per run, not once per task. As taskgraph
// does, priority and deadline are keyed by the project alone (a nested
// `by-level` takes its default), and task-expires-after is the default at
// level 1 only: other levels keep their tasks for a year.
import type { Diagnostic } from '../diagnostics.js';
import { resolveKeyedBy } from '../keyed-by.js';
import type { LoadedGraph } from '../model.js';
import type { TaskDefaults } from './task.js';
import { DEFAULT_DEADLINE_AFTER, DEFAULT_EXPIRES_AFTER, DEFAULT_PRIORITY, TRUSTED_EXPIRES_AFTER } from './task.js';

/** config.yml's task defaults, keyed-by resolved once for the whole run. */
export function taskDefaults(graph: LoadedGraph, diagnostics: Diagnostic[]): TaskDefaults {
  const { config, params } = graph;
  const wanted: Record<string, unknown> = {};
  for (const key of ['task-priority', 'task-deadline-after']) {
    if (config[key] !== undefined) wanted[key] = config[key];
  }
  const resolved = resolveKeyedBy(wanted, graph.configSource, { project: params.project });
  diagnostics.push(...resolved.diagnostics);
  const text = (key: string, fallback: string) =>
    typeof resolved.value[key] === 'string' ? (resolved.value[key] as string) : fallback;
  return {
    priority: text('task-priority', DEFAULT_PRIORITY),
    deadlineAfter: text('task-deadline-after', DEFAULT_DEADLINE_AFTER),
    expiresAfter:
      String(params.level) === '1'
        ? typeof config['task-expires-after'] === 'string'
          ? config['task-expires-after']
          : DEFAULT_EXPIRES_AFTER
        : TRUSTED_EXPIRES_AFTER,
  };
}
