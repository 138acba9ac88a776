// The transform modules a kind may list in kind.yml `transforms:`, by the names
// taskgraph gives them. `taskgraph.transforms.task` is the last step of every
// kind: it is the task transform and payload builders the pipeline runs after
// keyed-by resolution and validation, so here it is only a marker.
import { cachedTasksTransform } from './cached-tasks.js';
import { chunkingTransform } from './chunking.js';
import { dockerImageTransform } from './docker-image.js';
import { codeReviewTransform } from './code-review.js';
import { notifyTransform } from './notify.js';
import { fromDepsTransform } from './from-deps/index.js';
import { matrixTransform } from './matrix.js';
import { fetchTransform } from './fetch/index.js';
import { runTransform } from './run/index.js';
import { taskContextTransform } from './task-context/index.js';
import type { KindTransform } from './types.js';
import { pluginLoaderOf } from '../load/load-kind.js';

export const TASK_TRANSFORM = 'taskgraph.transforms.task';

export type RegisteredTransform = { kind: 'items'; run: KindTransform } | { kind: 'task' };

const registry: ReadonlyMap<string, RegisteredTransform> = new Map<string, RegisteredTransform>([
  ['taskgraph.transforms.docker_image', { kind: 'items', run: dockerImageTransform }],
  ['taskgraph.transforms.cached_tasks', { kind: 'items', run: cachedTasksTransform }],
  ['taskgraph.transforms.run', { kind: 'items', run: runTransform }],
  ['taskgraph.transforms.notify', { kind: 'items', run: notifyTransform }],
  ['taskgraph.transforms.code_review', { kind: 'items', run: codeReviewTransform }],
  ['taskgraph.transforms.from_deps', { kind: 'items', run: fromDepsTransform }],
  ['taskgraph.transforms.matrix', { kind: 'items', run: matrixTransform }],
  ['taskgraph.transforms.chunking', { kind: 'items', run: chunkingTransform }],
  ['taskgraph.transforms.task_context', { kind: 'items', run: taskContextTransform }],
  ['taskgraph.transforms.fetch', { kind: 'items', run: fetchTransform }],
  [TASK_TRANSFORM, { kind: 'task' }],
]);

/** Modules known but not implemented here, with what to do instead. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['taskgraph.transforms.job', 'taskgraph renamed it; list taskgraph.transforms.run:transforms instead'],
  // taskgraph's documentation once spelt it with a dash, which never imported.
  ['taskgraph.transforms.task-context', 'the module is taskgraph.transforms.task_context, with an underscore'],
]);

/** `module` or `module:transforms` → `module`. */
export function normalizeTransformName(name: string): string {
  return name.endsWith(':transforms') ? name.slice(0, -':transforms'.length) : name;
}

export function lookupTransform(name: string): RegisteredTransform | undefined {
  return registry.get(normalizeTransformName(name));
}

export function unsupportedReason(name: string): string | undefined {
  return UNSUPPORTED.get(normalizeTransformName(name));
}

/**
 * Transforms that read what the kinds before them left behind: cached_tasks
 * names a task by its dependencies' digests, which earlier kinds computed;
 * from_deps makes tasks out of the tasks of earlier kinds. A kind with one of
 * these must be generated after its kind-dependencies, in the same process.
 */
const READS_EARLIER_KINDS = new Set(['taskgraph.transforms.cached_tasks', 'taskgraph.transforms.from_deps', 'taskgraph.transforms.code_review']);

export function readsEarlierKinds(transforms: readonly string[]): boolean {
  return transforms.some((name) => READS_EARLIER_KINDS.has(normalizeTransformName(name)));
}

/**
 * Also true for a kind with a task that has `fetches` (it reads its
 * kind-dependencies' artifacts and prefixes), and for a kind with a loader of
 * the repository's own (it is given its kind-dependencies' tasks).
 */
export function kindReadsEarlierKinds(kind: {
  transforms: readonly string[];
  tasks: readonly { value: Record<string, unknown> }[];
  config?: Record<string, unknown>;
}): boolean {
  return readsEarlierKinds(kind.transforms) || pluginLoaderOf(kind) !== undefined || kind.tasks.some((task) => task.value.fetches !== undefined);
}

/** taskgraph's default loader runs these after the kind's own transforms. */
export const DEFAULT_LOADER_TRANSFORMS = ['taskgraph.transforms.run', TASK_TRANSFORM] as const;

export function supportedTransforms(): string[] {
  return [...registry.keys()].sort();
}
