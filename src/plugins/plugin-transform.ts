// A repository's own transform (kind.yml `transforms:` naming a plugin module)
// as a stage of the pipeline. Each function of the sequence runs over the
// whole list of the kind's task descriptions in turn; the task it last took is
// the one named when it throws, at the plugin's own file:line. What it yields
// must be plain JSON task descriptions: anything else is reported, located at
// the task it was transforming, and left out. A transform may be async (a
// promise, or an async generator): only then is anything awaited.
import { dirname } from 'node:path';
import type { Diagnostic, Location } from '../transform/diagnostics.js';
import type { LoadedKind, SourceMap } from '../transform/model.js';
import { isRecord } from '../transform/plain-data.js';
import type { KindStage, TransformContext, TransformItem } from '../transform/transforms/types.js';
import type { TaskDescription, Transform } from './api.js';
import { transformConfig } from './transform-config.js';
import { thrownAt, thrownText, type PluginModules } from './load-plugin.js';
import { describeValue, drainPluginResult, JSON_TASK_EXPECTED, notATask, returnedText } from './plugin-output.js';

/** The functions an exported attribute stands for: a function, an array of them, or a TransformSequence. */
function transformFunctions(value: unknown): Transform[] | undefined {
  const list = typeof value === 'function' ? [value] : Array.isArray(value) ? value : isRecord(value) || isSequence(value) ? (value as { transforms?: unknown }).transforms : undefined;
  return Array.isArray(list) && list.every((f) => typeof f === 'function') ? (list as Transform[]) : undefined;
}

const isSequence = (value: unknown) => typeof value === 'object' && value !== null && Array.isArray((value as { transforms?: unknown }).transforms);

const labelOf = (kind: string, task: TaskDescription) =>
  typeof task.label === 'string' ? task.label : `${kind}-${String(task.name)}`;

/**
 * The kind.yml `transforms:` entry `name` (at `index`) as a stage, or a
 * located error when it names no usable plugin.
 */
export function pluginTransform(
  name: string,
  index: number,
  kind: LoadedKind,
  modules: PluginModules,
  diagnostics: Diagnostic[],
): KindStage | undefined {
  // Located only when needed: locating parses kind.yml again, with positions.
  const entry = () => kind.configSource.locate(['transforms', index]);
  const loaded = modules.attribute(name, 'transforms');
  if (!loaded.ok) {
    diagnostics.push({
      severity: 'error',
      message: `transform module "${name}": ${loaded.message}`,
      location: entry(),
      path: ['transforms', index],
      ...(loaded.expected ? { expected: loaded.expected } : {}),
    });
    return undefined;
  }
  const functions = transformFunctions(loaded.value);
  if (!functions) {
    diagnostics.push({
      severity: 'error',
      message: `transform module "${name}": ${loaded.file} exports "${loaded.name.attribute}" as ${describeValue(loaded.value)}`,
      location: entry(),
      path: ['transforms', index],
      expected: 'a transform function, an array of them, or a TransformSequence',
    });
    return undefined;
  }
  return (items, context) => runPlugin(name, loaded.file, functions, items, context, entry);
}

async function runPlugin(
  name: string,
  file: string,
  functions: readonly Transform[],
  items: TransformItem[],
  context: TransformContext,
  entry: () => Location | undefined,
): Promise<TransformItem[]> {
  const kind = context.kind;
  const config = transformConfig(context.graph, kind, context.kindDependencyTasks);

  const sources = new Map<string, SourceMap>(items.map((item) => [item.name, item.source]));
  const nowhere: SourceMap = { locate: () => entry() };
  let tasks: TaskDescription[] = items.map((item) => ({ ...structuredClone(item.value), name: item.name }));
  for (const transform of functions) {
    const what = `transform ${transform.name || '(anonymous)'} of "${name}"`;
    // The tasks taken and not yet given back, in the order taken: one for a
    // generator that yields as it goes, so a throw names its task exactly.
    let current: TaskDescription | undefined;
    const pending = new Map<string, string>();
    const taken = function* (list: TaskDescription[]) {
      for (const task of list) {
        current = task;
        pending.set(String(task.name), labelOf(kind.name, task));
        yield task;
      }
    };
    const failedOn = () => {
      const labels = [...pending.values()];
      if (labels.length === 0) return current ? ` on task ${labelOf(kind.name, current)}` : '';
      if (labels.length === 1) return ` on task ${labels[0]}`;
      const shown = labels.slice(0, 3).join(', ') + (labels.length > 3 ? `, … (${labels.length} in all)` : '');
      return ` on one of tasks ${shown}, taken and not yet yielded (a generator that yields each task as it goes has its task named)`;
    };
    const out: TaskDescription[] = [];
    const accept = (task: unknown) => {
      const where = sources.get(String(current?.name)) ?? nowhere;
      const bad = notATask(task);
      if (bad) {
        context.diagnostics.push({
          severity: 'error',
          message: `${what} (${file}) yielded a value that is not JSON data at ${bad}${current ? ` while transforming task ${labelOf(kind.name, current)}` : ''}`,
          location: where.locate([]),
          expected: JSON_TASK_EXPECTED,
        });
        return;
      }
      pending.delete(String((task as TaskDescription).name));
      out.push(task as TaskDescription);
    };
    try {
      const drained = await drainPluginResult(transform(config, taken(tasks)), accept);
      if (!drained.ok) {
        context.diagnostics.push(
          'unsettled' in drained
            ? {
                severity: 'error',
                message: `${what} (${file}) ${drained.unsettled === 'promise' ? 'returned a promise that never settled' : 'never yielded its next task'}${failedOn()}: nothing was left running that could settle it`,
                location: entry(),
                hint: 'an async transform must settle its promise or finish its async generator: look for a callback or event it waits for that never comes',
              }
            : {
                severity: 'error',
                message: `${what} (${file}) ${returnedText(drained)}`,
                location: entry(),
                expected: 'a generator (function* or async function*), an array of task descriptions, or a promise of an array',
              },
        );
        return [];
      }
    } catch (error) {
      const at = thrownAt(error, dirname(context.graph.root));
      context.diagnostics.push({
        severity: 'error',
        message: `${what} failed${failedOn()}: ${thrownText(error)}`,
        location: at ?? entry(),
        ...(at ? {} : { hint: `the stack names no line of ${file}` }),
      });
      return [];
    }
    tasks = out;
  }
  return tasks.map((task) => {
    const { name: taskName, ...value } = task;
    const itemName = typeof taskName === 'string' ? taskName : String(value.label ?? kind.name);
    return { kind: kind.name, name: itemName, value, source: sources.get(itemName) ?? nowhere };
  });
}
