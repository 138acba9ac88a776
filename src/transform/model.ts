// The plain data that flows between the build-time stages. Each stage takes
// these and returns these; none reaches back into an earlier one. Positions
// travel beside the data (a SourceMap per document) rather than inside it, so
// that the task objects stay plain JSON.
import type { Diagnostic, Location, YamlPath } from './diagnostics.js';
import type { PluginModules } from '../plugins/load-plugin.js';
import type { Registrations } from '../plugins/registrations.js';

/** Answers "where did the value at this path come from?" for one task or document. */
export interface SourceMap {
  /**
   * The location of the value at `path`, or of its nearest ancestor that has
   * one (so that a missing required key points at the map that lacks it).
   */
  locate(path: YamlPath): Location | undefined;
}

/** Parameters of one graph generation (params.yml + `-p key=value` + defaults). */
export interface Parameters {
  level: string;
  project: string;
  tasks_for: string;
  trust_domain?: string;
  /** Seconds since the epoch; `created`/`deadline`/`expires` are relative to it. */
  build_date: number;
  head_repository: string;
  head_rev: string;
  head_ref: string;
  base_repository: string;
  base_rev?: string;
  base_ref?: string;
  repository_type: string;
  owner: string;
  pushlog_id?: string;
  pushdate?: number;
  moz_build_date?: string;
  target_tasks_method?: string;
  [key: string]: unknown;
}

export interface WorkerAlias {
  provisioner: string;
  implementation: string;
  os: string;
  'worker-type': string;
}

/** `config.yml`, validated. Unknown top-level keys are kept for transforms that read them. */
export interface GraphConfig {
  'trust-domain': string;
  'task-priority'?: string | Record<string, unknown>;
  'task-deadline-after'?: string | Record<string, unknown>;
  'task-expires-after'?: string;
  treeherder?: { 'group-names'?: Record<string, string> };
  'index'?: { products?: string[] };
  workers: { aliases: Record<string, WorkerAlias> };
  taskgraph?: {
    repositories?: Record<string, { name: string; 'project-regex'?: string; [key: string]: unknown }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One entry of a kind, after `task-defaults` were merged into it. */
export interface LoadedTask {
  kind: string;
  /** The key under `tasks:` (or in a `tasks-from` file). */
  name: string;
  /** The task as written (defaults merged), still with its keyed-by values. */
  value: Record<string, unknown>;
  /** Positions for `value`, paths relative to the task. */
  source: SourceMap;
}

/** `kinds/<name>/kind.yml`, validated, with its tasks loaded. */
export interface LoadedKind {
  name: string;
  /** Absolute path of the kind's directory. */
  dir: string;
  /** Absolute path of kind.yml, for messages about the kind as a whole. */
  file: string;
  transforms: string[];
  kindDependencies: string[];
  /** Everything else kind.yml says (e.g. keys that transforms read). */
  config: Record<string, unknown>;
  configSource: SourceMap;
  tasks: LoadedTask[];
}

/** What the loading stage hands to the rest of the pipeline. */
export interface LoadedGraph {
  /** Absolute path of the taskgraph root (`--root`). */
  root: string;
  config: GraphConfig;
  configSource: SourceMap;
  params: Parameters;
  /** In dependency order: every kind comes after the kinds it depends on. */
  kinds: LoadedKind[];
  /** What loading found that does not stop generation (a key written twice, ...). */
  warnings?: Diagnostic[];
  /** The repository's own modules, each loaded once per generation. */
  plugins?: PluginModules;
  /** What config.yml's `taskgraph: register:` added for this generation. */
  registered?: Registrations;
}

/**
 * A task description after the run/docker-image transforms and keyed-by
 * resolution: what the task transform consumes. Field names are taskgraph's
 * (kebab-case); see schemas/task-description.yml.
 */
export interface TaskDescriptionItem {
  kind: string;
  label: string;
  description: Record<string, unknown>;
  source: SourceMap;
}

/**
 * One generated task, the shape of taskgraph's JSON output. `task` may still
 * hold `{"task-reference": …}` / `{"artifact-reference": …}` values.
 */
export interface GeneratedTask {
  kind: string;
  label: string;
  attributes: Record<string, unknown>;
  /** Dependency name → label. */
  dependencies: Record<string, string>;
  optimization: Record<string, unknown> | null;
  task: Record<string, unknown>;
  /** `docker-worker`, `generic-worker`, …: with `workerOs`, which payload schema the output is checked against. */
  workerImplementation: string;
  /** The worker's os (generic-worker on Windows has a payload format of its own). */
  workerOs?: string;
  /**
   * Set when a plugin's payload builder made the payload (it was checked
   * against the plugin's payloadSchema then): who to blame for an invalid
   * definition.
   */
  payloadBuiltBy?: string;
  /** The description taskgraph writes beside the task (default ""). */
  description?: string;
  /** Labels this task runs after when they are in the graph, without depending on them. */
  softDependencies?: string[];
  /** Labels (of dependencies) without which this task is not worth running. */
  ifDependencies?: string[];
  /** Where to point when this task's output is found invalid. */
  source: SourceMap;
  /** Findings that do not stop generation (shown by `--summary`). */
  warnings: string[];
}
