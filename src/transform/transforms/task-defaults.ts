// config.yml's task defaults (task-priority, task-deadline-after,
// task-expires-after), which may be keyed by level, project or tasks-for:
// resolved once per run, not once per task.
import type { Diagnostic } from '../diagnostics.js';
import { resolveKeyedBy } from '../keyed-by.js';
import type { LoadedGraph } from '../model.js';
import type { TaskDefaults } from './task.js';
import { DEFAULT_DEADLINE_AFTER, DEFAULT_EXPIRES_AFTER, DEFAULT_PRIORITY } from './task.js';

/** config.yml's task defaults, keyed-by resolved once for the whole run. */
export function taskDefaults(graph: LoadedGraph, diagnostics: Diagnostic[]): TaskDefaults {
  const { config, params } = graph;
  const wanted: Record<string, unknown> = {};
  for (const key of ['task-priority', 'task-deadline-after', 'task-expires-after']) {
    if (config[key] !== undefined) wanted[key] = config[key];
  }
  const resolved = resolveKeyedBy(wanted, graph.configSource, {
    level: params.level,
    project: params.project,
    'tasks-for': params.tasks_for,
  });
  diagnostics.push(...resolved.diagnostics);
  const text = (key: string, fallback: string) =>
    typeof resolved.value[key] === 'string' ? (resolved.value[key] as string) : fallback;
  return {
    priority: text('task-priority', DEFAULT_PRIORITY),
    deadlineAfter: text('task-deadline-after', DEFAULT_DEADLINE_AFTER),
    expiresAfter: text('task-expires-after', DEFAULT_EXPIRES_AFTER),
  };
}
