// The plugin API: what a repository's own TypeScript or JavaScript imports from
// 'tc-payload' (package.json "exports" points here). It imports nothing, so
// that a plugin compiled on load (compile-plugin.ts) carries its own copy and
// a plugin written against it type-checks with nothing but these declarations.

/**
 * One task description as a transform sees it: plain JSON data, the task's
 * key in kind.yml as `name` (as taskgraph's loader sets it), its fields in
 * taskgraph's spelling (`worker-type`, `run`, `routes`, …).
 */
export interface TaskDescription {
  /** The task's key in kind.yml; the label is `<kind>-<name>` unless `label` is set. */
  name?: string;
  label?: string;
  description?: string;
  'worker-type'?: string;
  routes?: string[];
  scopes?: string[];
  attributes?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  worker?: Record<string, unknown>;
  run?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What taskgraph's TransformConfig holds, as plain read-only data. */
export interface TransformConfig {
  /** The kind's name (its directory under kinds/). */
  readonly kind: string;
  /** Absolute path of the kind's directory. */
  readonly path: string;
  /** Everything kind.yml says (`transforms`, `kind-dependencies`, the keys a transform reads). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The parameters of this generation (params.yml, `-p`, defaults). */
  readonly params: Readonly<Record<string, unknown>>;
  /** config.yml. */
  readonly graphConfig: Readonly<Record<string, unknown>>;
}

/**
 * A transform: a function over the stream of a kind's task descriptions,
 * taking each task it is given and yielding none, one or several. Write it as
 * a generator (`function*`) or return an array; when it has to wait (reading
 * a file, asking a service), as an `async function*` or an `async` function
 * returning an array.
 */
export type Transform = (
  config: TransformConfig,
  tasks: Iterable<TaskDescription>,
) => Iterable<TaskDescription> | AsyncIterable<TaskDescription> | Promise<Iterable<TaskDescription>>;

/**
 * taskgraph's TransformSequence: transforms run in the order they are added.
 * A module exports one under the attribute kind.yml names
 * (`my_taskgraph.transforms.x:transforms` → `export const transforms`).
 */
export class TransformSequence {
  readonly transforms: Transform[] = [];

  constructor(...transforms: Transform[]) {
    this.transforms.push(...transforms);
  }

  /** Appends a transform and returns it. */
  add(transform: Transform): Transform {
    this.transforms.push(transform);
    return transform;
  }
}

// --- Kind loaders (kind.yml `loader: module.path:attribute`) ---

/**
 * A task of one of the kind's kind-dependencies, as a loader is given it
 * (taskgraph's Task): the generated task as plain read-only data.
 */
export interface Task {
  readonly kind: string;
  readonly label: string;
  readonly description: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Dependency name → label. */
  readonly dependencies: Readonly<Record<string, string>>;
  readonly softDependencies: readonly string[];
  readonly ifDependencies: readonly string[];
  readonly optimization: Readonly<Record<string, unknown>> | null;
  /** The Taskcluster task definition (taskgraph's `task.task`). */
  readonly task: Readonly<Record<string, unknown>>;
}

/** A task description a loader yields: `name` is required, as taskgraph's loaders set it. */
export type LoadedTaskDescription = TaskDescription & { name: string };

/** What a loader gets besides taskgraph's five arguments. */
export interface LoaderHelpers {
  /**
   * The kind's tasks as taskgraph's default loader gives them: `tasks` of
   * kind.yml and the `tasks-from` files, `task-defaults` merged in, each with
   * its key as `name` and `task-from`. A fresh copy at each call.
   */
  defaultTasks(): LoadedTaskDescription[];
  /** config.yml. */
  readonly graphConfig: Readonly<Record<string, unknown>>;
}

/**
 * A kind loader: makes the kind's task descriptions, which then go through
 * the kind's `transforms:`. Called once per generation when its kind is
 * generated, after the kind's kind-dependencies: `loadedTasks` are their
 * tasks. As taskgraph's `loader(kind, path, config, params, loaded_tasks)`,
 * plus `helpers`. It may be async, as a transform may.
 */
export type Loader = (
  kind: string,
  path: string,
  config: Readonly<Record<string, unknown>>,
  params: Readonly<Record<string, unknown>>,
  loadedTasks: readonly Task[],
  helpers: LoaderHelpers,
) => Iterable<LoadedTaskDescription> | AsyncIterable<LoadedTaskDescription> | Promise<Iterable<LoadedTaskDescription>>;
