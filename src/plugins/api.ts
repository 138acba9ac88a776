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
  /**
   * The tasks of the kind's kind-dependencies, in the order they were
   * generated (taskgraph's `config.kind_dependencies_tasks`); copied when first read.
   */
  readonly kindDependenciesTasks: readonly Task[];
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

// ---------------------------------------------------------------------------
// register (config.yml `taskgraph: register: module:attr`): parameters,
// keyed-by values, `run: using:` implementations and payload builders a
// repository adds for one generation.
// ---------------------------------------------------------------------------

export { resolveKeyedBy } from './resolve-keyed-by.js';

/** A JSON Schema (draft-07, as ajv reads it). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Plain JSON data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Parameters of one generation: params.yml, `-p`, then the defaults. */
export type Parameters = Readonly<Record<string, unknown>>;

export interface ParameterExtension {
  /**
   * The values of the added parameters: an object schema whose `properties`
   * are the new parameter names (`required` may list some of them).
   */
  schema: JsonSchema;
  /**
   * Values for added parameters that params.yml and `-p` leave out: an
   * object, or a function of config.yml and the parameters given so far.
   */
  defaults?: Readonly<Record<string, unknown>> | ((graphConfig: Readonly<Record<string, unknown>>, params: Parameters) => Record<string, unknown>);
}

/**
 * The value of `by-<name>` for one task: from the task description (its
 * fields, keyed-by not yet resolved) and the parameters. A string, number or
 * boolean; null or undefined choose `default`.
 */
export type KeyedByValue = (task: Readonly<TaskDescription>, params: Parameters) => string | number | boolean | null | undefined;

/**
 * A `run: using:` implementation (taskgraph's `@run_job_using`): shapes the
 * task description for its worker (worker.command, worker.env, …). It may
 * change `task` in place or return the task description to use; `run` is
 * removed afterwards.
 */
export interface RunUsing {
  /** The run section's keys other than `using` (which chose this implementation). */
  schema: JsonSchema;
  /** Values for run keys the task leaves out (before validation). */
  defaults?: Readonly<Record<string, unknown>>;
  build(config: TransformConfig, run: Readonly<Record<string, unknown>>, task: TaskDescription): TaskDescription | void;
}

/** A Taskcluster task definition while the task transform builds it (taskgraph's `task_def`). */
export interface TaskDefinition {
  provisionerId: string;
  workerType: string;
  routes: string[];
  scopes: (string | { 'task-reference': string })[];
  tags: Record<string, string>;
  extra: Record<string, unknown>;
  payload?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A worker implementation's payload builder (taskgraph's `@payload_builder`):
 * the task's `worker` section is checked against `schema` (its keys other than
 * `implementation` and `os`), then `build` returns the payload (or sets
 * `taskDef.payload`; it may also add scopes, routes, … to `taskDef`).
 */
export interface PayloadBuilder {
  schema: JsonSchema;
  /** When given, every payload built is checked against it. */
  payloadSchema?: JsonSchema;
  build(config: TransformConfig, task: Readonly<TaskDescription>, taskDef: TaskDefinition): Record<string, unknown> | void;
}

/**
 * What `register(registry)` receives, once per generation (and once in each
 * `--jobs` thread), before the parameters are checked. What it adds holds for
 * this generation only.
 */
export interface Registry {
  /** config.yml. */
  readonly graphConfig: Readonly<Record<string, unknown>>;
  /** Parameters of the repository's own, checked in params.yml against `schema`. */
  parameters(extension: ParameterExtension): void;
  /** A `by-<name>` key every keyed-by field accepts, its value computed per task. */
  keyedBy(name: string, valueOf: KeyedByValue): void;
  /** `run: using: <using>` on workers of these implementations (`docker-worker`, …). */
  runUsing(workerImplementations: string | readonly string[], using: string, implementation: RunUsing): void;
  /** The payload builder of worker aliases whose `implementation` is `implementation`. */
  payloadBuilder(implementation: string, builder: PayloadBuilder): void;
}

/** The function `taskgraph: register:` names. */
export type Register = (registry: Registry) => void | Promise<void>;
