// GENERATED FILE, DO NOT EDIT. Generated from schemas/task-description.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * One task of a kind, as written in kind.yml (after `task-defaults` and keyed-by).
 */
export interface TaskDescription {
  /**
   * The task's label, unique in the graph (default `<kind>-<name>`).
   */
  label?: string;
  /**
   * The task's name within its kind (set by the loader from its key).
   */
  name?: string;
  /**
   * The file the task was read from, relative to the kind directory (set by the loader).
   */
  'task-from'?: string;
  /**
   * What the task does, in a sentence; becomes `metadata.description`.
   */
  description: string;
  /**
   * Free-form attributes, kept in the graph output (the transform adds `kind`, `run_on_projects`, ...).
   */
  attributes?: {
    [k: string]: unknown;
  };
  /**
   * Dependency name → label of a task this task depends on.
   */
  dependencies?: {
    [k: string]: string;
  };
  /**
   * Labels of tasks to depend on only when they are in the graph.
   */
  'soft-dependencies'?: string[];
  /**
   * Dependency names; the task runs only if one of these is in the graph.
   */
  'if-dependencies'?: string[];
  /**
   * Whether dependencies must complete successfully (`all-completed`) or just resolve (`all-resolved`).
   */
  requires?: 'all-completed' | 'all-resolved';
  /**
   * Time after creation when the task and its artifacts expire, e.g. `28 days` (default the config's `task-expires-after`).
   */
  'expires-after'?: string;
  /**
   * Time after creation by which the task must be resolved, e.g. `1 day` (default the config's `task-deadline-after`).
   */
  'deadline-after'?: string;
  /**
   * Extra routes of the task (index and notification routes).
   */
  routes?: string[];
  /**
   * Extra scopes the task needs (cache scopes are added automatically).
   */
  scopes?: string[];
  /**
   * Extra tags, name → value.
   */
  tags?: {
    [k: string]: string;
  };
  /**
   * Extra free-form data, merged into the task's `extra`.
   */
  extra?: {
    [k: string]: unknown;
  };
  /**
   * How the task shows on Treeherder: `true` takes every default (symbol from the kind name, platform `default/opt`, kind `build`... as taskgraph derives them), a map overrides some.
   */
  treeherder?:
    | boolean
    | {
        /**
         * Treeherder symbol, `GROUP(SYMBOL)` or `SYMBOL`.
         */
        symbol?: string;
        /**
         * Treeherder job kind.
         */
        kind?: 'build' | 'test' | 'other';
        /**
         * Treeherder tier (1 shows by default, 3 is hidden).
         */
        tier?: number;
        /**
         * Treeherder platform, `<platform>/<collection>` such as `linux64/opt`.
         */
        platform?: string;
      };
  /**
   * Where to index the task (adds index routes).
   */
  index?: {
    /**
     * Product name, one of the config's `index.products`.
     */
    product: string;
    /**
     * Name of the job within the product.
     */
    'job-name': string;
    /**
     * Kind of index route (default `generic`).
     */
    type?: string;
    /**
     * Index rank, an integer, `by-tier` or `build_date`.
     */
    rank?: number | ('by-tier' | 'build_date');
  };
  /**
   * Projects this task runs on (`all`, `trunk`, or project names).
   */
  'run-on-projects'?: string[];
  /**
   * Values of the `tasks_for` parameter this task runs for (default all).
   */
  'run-on-tasks-for'?: string[];
  /**
   * Regular expressions of the git branches this task runs for (default all).
   */
  'run-on-git-branches'?: string[];
  /**
   * Whether the task is added to the target set even if not otherwise targeted.
   */
  'always-target'?: boolean;
  /**
   * Release phase the task belongs to, if any.
   */
  'shipping-phase'?: null | 'build' | 'promote' | 'push' | 'ship';
  /**
   * How the task may be optimized away; `null` for never.
   */
  optimization?: null | {
    /**
     * Replace the task by the first of these indexed tasks that exists.
     */
    'index-search'?: string[];
    /**
     * Skip the task unless files matching these patterns changed.
     */
    'skip-unless-changed'?: string[];
  };
  /**
   * Whether the task uses sccache (adds its scopes and environment).
   */
  'needs-sccache'?: boolean;
  /**
   * A worker alias from the config's `workers.aliases`.
   */
  'worker-type': string;
  /**
   * The worker description; its fields depend on the alias's implementation (see the docker-worker and generic-worker descriptions).
   */
  worker?: {
    [k: string]: unknown;
  };
  /**
   * Task priority (default the config's `task-priority`).
   */
  priority?: 'highest' | 'very-high' | 'high' | 'medium' | 'low' | 'very-low' | 'lowest';
  /**
   * How often the queue retries the task after a worker failure (default 5).
   */
  retries?: number;
}
