// `run: using: <name>` for a name `register` added (registry.runUsing), inside
// taskgraph.transforms.run: the implementation registered for the task's
// worker implementation is chosen, its defaults fill the run section, the run
// section is checked against its schema (located in the YAML), then its
// `build` shapes the task description, and `run` is removed, as the built-in
// run-task implementation does.
import type { Diagnostic } from '../transform/diagnostics.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from '../transform/model.js';
import { isRecord } from '../transform/plain-data.js';
import { whenToOptimization } from '../transform/transforms/run/when.js';
import type { TransformItem } from '../transform/transforms/types.js';
import { workerOfTask } from '../transform/transforms/worker-alias.js';
import type { TaskDescription } from './api.js';
import { callPlugin } from './call-plugin.js';
import { notJson } from './plugin-output.js';
import { transformConfig } from './transform-config.js';

/** Whether `using` is one a plugin registered. */
export const isPluginRunUsing = (graph: LoadedGraph, using: unknown): using is string =>
  typeof using === 'string' && graph.registered?.runUsing.has(using) === true;

/** The item with its run section turned into a task description, or undefined after a diagnostic. */
export function convertPluginRun(
  item: TransformItem,
  value: Record<string, unknown>,
  source: SourceMap,
  label: string,
  using: string,
  graph: LoadedGraph,
  kind: LoadedKind,
  diagnostics: Diagnostic[],
  kindDependencyTasks: () => readonly GeneratedTask[],
): TransformItem | undefined {
  const registrations = graph.registered!;
  const byImplementation = registrations.runUsing.get(using)!;
  const error = (path: (string | number)[], message: string, expected?: string) => {
    diagnostics.push({ severity: 'error', message, path, location: source.locate(path), ...(expected ? { expected } : {}) });
    return undefined;
  };
  const found = workerOfTask(graph, value['worker-type'], label, source, `run.using "${using}" needs the worker implementation`);
  if ('diagnostic' in found) {
    diagnostics.push(found.diagnostic);
    return undefined;
  }
  const implementation = byImplementation.get(found.worker.implementation);
  if (!implementation) {
    return error(
      ['run', 'using'],
      `run.using "${using}" (registered by register "${registrations.registerName}") has no implementation for worker implementation "${found.worker.implementation}" (worker-type "${found.worker.alias}")`,
      `a worker alias whose implementation is one of: ${[...byImplementation.keys()].join(', ')}`,
    );
  }
  const run: Record<string, unknown> = { ...structuredClone(implementation.defaults ?? {}), ...(value.run as Record<string, unknown>) };
  const { using: _using, ...checked } = run;
  const problems = implementation.runSchema.validate(checked, source, ['run']);
  if (problems.length) {
    diagnostics.push(...problems.map((d) => ({ ...d, message: `run.using "${using}": ${d.message}` })));
    return undefined;
  }
  const when = whenToOptimization(value, source, kind, graph.root);
  if (!when.ok) {
    diagnostics.push(when.diagnostic);
    return undefined;
  }
  const { when: _when, ...rest } = value;
  const task: TaskDescription = { ...structuredClone(rest), run: structuredClone(run), name: item.name };
  const what = `run.using "${using}" (registered by register "${registrations.registerName}") on task ${label}`;
  const called = callPlugin(
    () => implementation.build(transformConfig(graph, kind, kindDependencyTasks), Object.freeze(structuredClone(run)), task) as unknown,
    what,
    graph.root,
    () => source.locate(['run', 'using']),
  );
  if (!called.ok) {
    diagnostics.push(called.diagnostic);
    return undefined;
  }
  const built = called.value === undefined ? task : called.value;
  const bad = isRecord(built) ? notJson(built, '') : `the task (${built === null ? 'null' : Array.isArray(built) ? 'an array' : `a ${typeof built}`})`;
  if (bad) {
    return error([], `${what} made a task description that is not JSON data at ${bad}`, 'a task description of plain objects, arrays, strings, finite numbers, booleans and null');
  }
  const { run: _run, name: _name, ...description } = built as Record<string, unknown>;
  if (when.optimization) description.optimization = when.optimization;
  return { ...item, value: description, source };
}
