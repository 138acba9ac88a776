// The TransformConfig a plugin function is given (api.ts): the kind's and the
// generation's settings, as plain data.
import type { GeneratedTask, LoadedGraph, LoadedKind } from '../transform/model.js';
import type { Task, TransformConfig } from './api.js';
import { taskView } from './plugin-loader.js';

/** `kindDependencyTasks` is asked, and its tasks copied, only when a plugin reads `kindDependenciesTasks`. */
export function transformConfig(graph: LoadedGraph, kind: LoadedKind, kindDependencyTasks: () => readonly GeneratedTask[]): TransformConfig {
  let tasks: readonly Task[] | undefined;
  return {
    kind: kind.name,
    path: kind.dir,
    config: kind.config,
    params: graph.params as unknown as Record<string, unknown>,
    graphConfig: graph.config as unknown as Record<string, unknown>,
    get kindDependenciesTasks() {
      tasks ??= kindDependencyTasks().map(taskView);
      return tasks;
    },
  };
}
