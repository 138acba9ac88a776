// What the transforms of a kind (kind.yml `transforms:`) pass along: items, each
// the raw shape of a task description plus where it came from. A transform is a
// function from items to items; problems go to `context.diagnostics` and the
// item in question is left out, so one run reports every problem.
import type { Diagnostic } from '../diagnostics.js';
import type { DockerImageCatalog } from '../docker/image-catalog.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from '../model.js';

/** What cached_tasks needs to name a cacheable task by the digest of its inputs. */
export interface CacheRequest {
  type: string;
  name: string;
  /** Lines hashed together with the digests of the task's dependencies. */
  digestData: string[];
}


export interface TransformItem {
  kind: string;
  /** The task's key in kind.yml. */
  name: string;
  value: Record<string, unknown>;
  source: SourceMap;
  /** Set by a transform that produces a cacheable task (docker_image), used by cached_tasks. */
  cache?: CacheRequest;
}

export interface TransformContext {
  graph: LoadedGraph;
  kind: LoadedKind;
  images: DockerImageCatalog;
  /** label → `<type>/<name>/<digest>` of every cached task generated so far (all kinds). */
  cachedDigests: Map<string, string>;
  /**
   * The tasks of this kind's kind-dependencies, generated before it: kinds in
   * dependency order, each kind's tasks in its order (what taskgraph calls
   * `kind_dependencies_tasks`; from_deps reads it).
   */
  kindDependencyTasks(): readonly GeneratedTask[];
  diagnostics: Diagnostic[];
  /**
   * Labels of this kind's tasks that a transform dropped for an error it
   * reported: later transforms say that what depends on them was skipped,
   * instead of reporting the dependency as missing.
   */
  failed?: Set<string>;
  /**
   * Labels of the kinds before this one that failed: what refers to one of
   * them (a fetch of a toolchain that failed) is said to be skipped because of
   * it, instead of reported as missing.
   */
  failedEarlier?: ReadonlySet<string>;
}

/** A built-in transform: synchronous, so that nothing is awaited per task. */
export type KindTransform = (items: TransformItem[], context: TransformContext) => TransformItem[];

/**
 * One entry of a kind's `transforms:` list as run: a built-in transform, or a
 * plugin's, which may be async (its promise awaited once per kind, never per task).
 */
export type KindStage = (items: TransformItem[], context: TransformContext) => TransformItem[] | Promise<TransformItem[]>;
