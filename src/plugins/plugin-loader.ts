// A repository's own kind loader (kind.yml `loader:` naming a plugin module):
// it makes the kind's task descriptions when the kind is generated, from the
// tasks of the kind's kind-dependencies and whatever it reads, and they then
// go through the kind's transforms. Each must be a plain JSON object with a
// string `name`; anything else is reported at the `loader:` entry and left
// out. A throw is reported at the plugin's own file:line.
import { dirname } from 'node:path';
import type { Diagnostic, Location } from '../transform/diagnostics.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from '../transform/model.js';
import type { TransformItem } from '../transform/transforms/types.js';
import type { LoadedTaskDescription, Loader, LoaderHelpers, Task } from './api.js';
import { thrownAt, thrownText, type PluginModules } from './load-plugin.js';
import { describeValue, drainPluginResult, JSON_TASK_EXPECTED, notATask, returnedText } from './plugin-output.js';

/** A plain copy of a generated task, so that no plugin can change what the kinds before it generated. */
export function taskView(task: GeneratedTask): Task {
  return structuredClone({
    kind: task.kind,
    label: task.label,
    description: task.description ?? '',
    attributes: task.attributes,
    dependencies: task.dependencies,
    softDependencies: task.softDependencies ?? [],
    ifDependencies: task.ifDependencies ?? [],
    optimization: task.optimization,
    task: task.task,
  });
}

export interface LoaderRun {
  graph: LoadedGraph;
  plugins: PluginModules;
  /** The tasks of the kind's kind-dependencies. */
  dependencyTasks(): readonly GeneratedTask[];
  diagnostics: Diagnostic[];
}

/**
 * The items `kind`'s plugin loader (named `name`) makes, located at the task
 * in kind.yml when it keeps a default task's name, else at the `loader:`
 * entry; undefined when the loader cannot be used or fails.
 */
export async function runPluginLoader(name: string, kind: LoadedKind, run: LoaderRun): Promise<TransformItem[] | undefined> {
  const { graph, diagnostics } = run;
  const entry = (): Location | undefined => kind.configSource.locate(['loader']);
  const atEntry: SourceMap = { locate: entry };
  const loaded = run.plugins.attribute(name, 'loader');
  if (!loaded.ok) {
    diagnostics.push({
      severity: 'error',
      message: `loader "${name}": ${loaded.message}`,
      location: entry(),
      path: ['loader'],
      ...(loaded.expected ? { expected: loaded.expected } : {}),
    });
    return undefined;
  }
  if (typeof loaded.value !== 'function') {
    diagnostics.push({
      severity: 'error',
      message: `loader "${name}": ${loaded.file} exports "${loaded.name.attribute}" as ${describeValue(loaded.value)}`,
      location: entry(),
      path: ['loader'],
      expected: 'a loader function (kind, path, config, params, loadedTasks, helpers) => task descriptions',
    });
    return undefined;
  }
  const loader = loaded.value as Loader;
  const what = `loader "${name}" (${loaded.file})`;
  const defaultSources = new Map(kind.tasks.map((task) => [task.name, task.source]));
  const helpers: LoaderHelpers = {
    defaultTasks: () => kind.tasks.map((task) => ({ ...structuredClone(task.value), name: task.name })),
    graphConfig: structuredClone(graph.config) as Record<string, unknown>,
  };

  const items: TransformItem[] = [];
  const names = new Set<string>();
  let last: string | undefined;
  const accept = (value: unknown) => {
    const bad = notATask(value);
    if (bad) {
      diagnostics.push({
        severity: 'error',
        message: `${what} yielded a value that is not JSON data at ${bad}${last === undefined ? '' : ` (after task "${last}")`}`,
        location: entry(),
        path: ['loader'],
        expected: JSON_TASK_EXPECTED,
      });
      return;
    }
    const { name: taskName, ...task } = value as LoadedTaskDescription;
    if (typeof taskName !== 'string' || taskName === '') {
      diagnostics.push({
        severity: 'error',
        message: `${what} yielded a task without a name${taskName === undefined ? '' : ` (its name is ${describeValue(taskName)})`}${last === undefined ? '' : `, after task "${last}"`}`,
        location: entry(),
        path: ['loader'],
        expected: 'a string `name`: the task\'s label is <kind>-<name> unless it sets `label`',
      });
      return;
    }
    if (names.has(taskName)) {
      diagnostics.push({
        severity: 'error',
        message: `${what} yielded task "${taskName}" twice`,
        location: entry(),
        path: ['loader'],
        hint: 'each task of a kind needs a name of its own',
      });
      return;
    }
    names.add(taskName);
    last = taskName;
    items.push({ kind: kind.name, name: taskName, value: task, source: defaultSources.get(taskName) ?? atEntry });
  };

  try {
    const drained = await drainPluginResult(
      loader(
        kind.name,
        kind.dir,
        structuredClone(kind.config),
        structuredClone(graph.params) as unknown as Record<string, unknown>,
        run.dependencyTasks().map(taskView),
        helpers,
      ),
      accept,
    );
    if (!drained.ok) {
      diagnostics.push(
        'unsettled' in drained
          ? {
              severity: 'error',
              message: `${what} ${drained.unsettled === 'promise' ? 'returned a promise that never settled' : 'never yielded its next task'}: nothing was left running that could settle it`,
              location: entry(),
              path: ['loader'],
              hint: 'an async loader must settle its promise or finish its async generator: look for a callback or event it waits for that never comes',
            }
          : {
              severity: 'error',
              message: `${what} ${returnedText(drained)}`,
              location: entry(),
              path: ['loader'],
              expected: 'a generator (function* or async function*), an array of task descriptions, or a promise of an array',
            },
      );
      return undefined;
    }
  } catch (error) {
    const at = thrownAt(error, dirname(graph.root));
    diagnostics.push({
      severity: 'error',
      message: `${what} failed${last === undefined ? '' : ` after task "${last}"`}: ${thrownText(error)}`,
      location: at ?? entry(),
      ...(at ? {} : { path: ['loader'], hint: `the stack names no line of ${loaded.file}` }),
    });
    return undefined;
  }
  return items;
}
