// Payload builders `register` added (registry.payloadBuilder) for worker
// implementations tc-payload has none for (a signing scriptworker, …): the
// task's `worker` section is checked against the builder's schema like the
// built-in implementations' sections, the builder makes the payload (and may
// add scopes, routes, … to the task definition), and the payload is checked
// against the builder's payloadSchema, as built-in payloads are checked
// against Taskcluster's published schemas.
import { join } from 'node:path';
import type { Diagnostic } from '../transform/diagnostics.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from '../transform/model.js';
import { isRecord } from '../transform/plain-data.js';
import { withPlaceholderReferences } from '../transform/output/validate-output.js';
import type { TaskDefinition, TransformConfig } from './api.js';
import { callPlugin } from './call-plugin.js';
import { notJson } from './plugin-output.js';
import type { RegisteredPayloadBuilder, Registrations } from './registrations.js';
import { transformConfig } from './transform-config.js';

/** The worker section's keys taskgraph's payload_builder adds to every schema itself. */
const ALWAYS_ALLOWED = ['implementation', 'os'];

/** Problems of the worker section of a task on a plugin's implementation; undefined when no plugin builds it. */
export function checkPluginWorker(
  registrations: Registrations | undefined,
  implementation: string,
  worker: Record<string, unknown>,
  source: SourceMap,
): Diagnostic[] | undefined {
  const builder = registrations?.payloadBuilders.get(implementation);
  if (!builder) return undefined;
  const checked = Object.fromEntries(Object.entries(worker).filter(([key]) => !ALWAYS_ALLOWED.includes(key)));
  return builder.workerSchema.validate(checked, source, ['worker']).map((d) => ({
    ...d,
    message: `worker (${implementation}): ${d.message}`,
  }));
}

export interface PluginPayloadInput {
  graph: LoadedGraph;
  kind: string;
  loadedKind?: LoadedKind;
  kindDependencyTasks?: () => readonly GeneratedTask[];
  label: string;
  description: Record<string, unknown>;
  source: SourceMap;
  /** The task definition so far, changed in place by what the builder changes. */
  taskDef: Record<string, unknown>;
}

/** Runs the plugin's builder; problems are returned, the task definition gets the payload. */
export function buildPluginPayload(builder: RegisteredPayloadBuilder, input: PluginPayloadInput): Diagnostic[] {
  const { graph, label, source } = input;
  const what = `payload builder "${builder.implementation}" (registered by register "${graph.registered!.registerName}") on task ${label}`;
  const atTask = () => source.locate([]);
  const config: TransformConfig = input.loadedKind
    ? transformConfig(graph, input.loadedKind, input.kindDependencyTasks ?? (() => []))
    : {
        kind: input.kind,
        path: join(graph.root, 'kinds', input.kind),
        config: {},
        params: graph.params as unknown as Record<string, unknown>,
        graphConfig: graph.config as unknown as Record<string, unknown>,
        kindDependenciesTasks: [],
      };
  const taskDef = structuredClone(input.taskDef) as TaskDefinition;
  const task = Object.freeze(structuredClone(input.description));
  const called = callPlugin(() => builder.build(config, task, taskDef) as unknown, what, graph.root, atTask);
  if (!called.ok) return [called.diagnostic];
  const error = (message: string, expected?: string): Diagnostic[] => [
    { severity: 'error', message: `${what} ${message}`, location: atTask(), ...(expected ? { expected } : {}) },
  ];
  if (called.value !== undefined) taskDef.payload = called.value as Record<string, unknown>;
  if (!isRecord(taskDef.payload)) return error('made no payload', 'build() returning the payload object, or setting taskDef.payload');
  const bad = notJson(taskDef, '');
  if (bad) return error(`made a task definition that is not JSON data at ${bad}`, 'plain objects, arrays, strings, finite numbers, booleans and null');
  if (builder.checkedPayloadSchema) {
    // References stand for task ids and URLs here, as in the check of every built-in payload.
    const everywhere: SourceMap = { locate: atTask };
    const problems = builder.checkedPayloadSchema.validate(withPlaceholderReferences(taskDef.payload), everywhere, ['task', 'payload']);
    if (problems.length) return problems.map((d) => ({ ...d, message: `${what} made a payload its payloadSchema refuses: ${d.message}` }));
  }
  replaceInPlace(input.taskDef, taskDef);
  return [];
}

/**
 * `target` made equal to `changed`, keeping the identity of its lists and maps:
 * the task transform goes on adding to the ones it holds (routes, scopes, extra).
 */
function replaceInPlace(target: Record<string, unknown>, changed: Record<string, unknown>): void {
  for (const key of Object.keys(target)) if (!Object.hasOwn(changed, key)) delete target[key];
  for (const [key, value] of Object.entries(changed)) {
    const current = target[key];
    if (Array.isArray(current) && Array.isArray(value)) current.splice(0, current.length, ...(value as unknown[]));
    else if (isRecord(current) && isRecord(value)) {
      for (const k of Object.keys(current)) delete current[k];
      Object.assign(current, value);
    } else target[key] = value;
  }
}
