// A repository's own transform (kind.yml `transforms:` naming a plugin module)
// as a stage of the pipeline. Each function of the sequence runs over the
// whole list of the kind's task descriptions in turn; the task it last took is
// the one named when it throws, at the plugin's own file:line. What it yields
// must be plain JSON task descriptions: anything else is reported, located at
// the task it was transforming, and left out.
import { dirname } from 'node:path';
import type { Diagnostic, Location } from '../transform/diagnostics.js';
import type { LoadedKind, SourceMap } from '../transform/model.js';
import { isRecord } from '../transform/plain-data.js';
import type { KindTransform, TransformContext, TransformItem } from '../transform/transforms/types.js';
import type { TaskDescription, Transform, TransformConfig } from './api.js';
import { thrownAt, thrownText, type PluginModules } from './load-plugin.js';

/** The functions an exported attribute stands for: a function, an array of them, or a TransformSequence. */
function transformFunctions(value: unknown): Transform[] | undefined {
  const list = typeof value === 'function' ? [value] : Array.isArray(value) ? value : isRecord(value) || isSequence(value) ? (value as { transforms?: unknown }).transforms : undefined;
  return Array.isArray(list) && list.every((f) => typeof f === 'function') ? (list as Transform[]) : undefined;
}

const isSequence = (value: unknown) => typeof value === 'object' && value !== null && Array.isArray((value as { transforms?: unknown }).transforms);

/** Where a value that is not JSON sits in a yielded task, as a path; undefined when it is all JSON. */
export function notJson(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} (${value})`;
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      const found = notJson(entry, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const [key, entry] of Object.entries(value)) {
      const found = notJson(entry, path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  const what = typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
  return `${path || 'the task'} (a ${what})`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'object'}` : `a ${typeof value}`;
}

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
): KindTransform | undefined {
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

function runPlugin(
  name: string,
  file: string,
  functions: readonly Transform[],
  items: TransformItem[],
  context: TransformContext,
  entry: () => Location | undefined,
): TransformItem[] {
  const kind = context.kind;
  const config: TransformConfig = {
    kind: kind.name,
    path: kind.dir,
    config: kind.config,
    params: context.graph.params as unknown as Record<string, unknown>,
    graphConfig: context.graph.config as unknown as Record<string, unknown>,
  };
  const sources = new Map<string, SourceMap>(items.map((item) => [item.name, item.source]));
  const nowhere: SourceMap = { locate: () => entry() };
  let tasks: TaskDescription[] = items.map((item) => ({ ...structuredClone(item.value), name: item.name }));
  for (const transform of functions) {
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
    try {
      const result: unknown = transform(config, taken(tasks));
      if (result === null || typeof result !== 'object' || !(Symbol.iterator in result)) {
        const asynchronous = result instanceof Promise || (typeof result === 'object' && result !== null && Symbol.asyncIterator in result);
        context.diagnostics.push({
          severity: 'error',
          message: `transform ${transform.name || '(anonymous)'} of "${name}" (${file}) returned ${describeValue(result)}${asynchronous ? ': async transforms are not supported yet' : ''}`,
          location: entry(),
          expected: 'a generator (function*) or an array of task descriptions',
        });
        return [];
      }
      for (const task of result as Iterable<unknown>) {
        const where = sources.get(String(current?.name)) ?? nowhere;
        const bad = isRecord(task) ? notJson(task, '') : `the task (${describeValue(task)})`;
        if (bad) {
          context.diagnostics.push({
            severity: 'error',
            message: `transform ${transform.name || '(anonymous)'} of "${name}" (${file}) yielded a value that is not JSON data at ${bad}${current ? ` while transforming task ${labelOf(kind.name, current)}` : ''}`,
            location: where.locate([]),
            expected: 'a task description of plain objects, arrays, strings, finite numbers, booleans and null',
          });
          continue;
        }
        pending.delete(String((task as TaskDescription).name));
        out.push(task as TaskDescription);
      }
    } catch (error) {
      const at = thrownAt(error, dirname(context.graph.root));
      context.diagnostics.push({
        severity: 'error',
        message: `transform ${transform.name || '(anonymous)'} of "${name}" failed${failedOn()}: ${thrownText(error)}`,
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
