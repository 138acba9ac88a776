// GENERATED FILE, DO NOT EDIT. Generated from schemas/graph-config.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * A Taskcluster task priority.
 */
export type Priority = 'highest' | 'very-high' | 'high' | 'medium' | 'low' | 'very-low' | 'lowest';

/**
 * The graph configuration (`config.yml` at the root of a taskgraph tree).
 */
export interface GraphConfig {
  /**
   * The trust domain of the project (e.g. `gecko`, `mobile`); the prefix of scheduler ids (`<trust-domain>-level-<level>`), cache names and index routes.
   */
  'trust-domain': string;
  /**
   * The kind whose tasks build the in-tree Docker images (default `docker-image`).
   */
  'docker-image-kind'?: string;
  /**
   * Default priority of every task, possibly keyed by `project` or `level` (a task's own `priority` wins).
   */
  'task-priority'?: Priority | KeyedBy;
  /**
   * Default time between a task's creation and its deadline (e.g. `1 day`), possibly keyed by `project`.
   */
  'task-deadline-after'?: string | KeyedBy;
  /**
   * Default time between a task's creation and its expiry (e.g. `28 days`).
   */
  'task-expires-after'?: string;
  /**
   * Treeherder settings.
   */
  treeherder?: {
    /**
     * Treeherder group symbol → group name, e.g. `I: Docker images`.
     */
    'group-names'?: {
      [k: string]: string;
    };
  };
  /**
   * Index settings.
   */
  index?: {
    /**
     * The products that tasks may name in `index.product`.
     */
    products?: string[];
  };
  /**
   * Worker settings.
   */
  workers: {
    /**
     * Worker alias (what a task's `worker-type` names) → the worker pool and implementation it stands for.
     */
    aliases: {
      [k: string]: WorkerAlias;
    };
  };
  /**
   * Settings of taskgraph itself.
   */
  taskgraph?: {
    /**
     * The tree's register function, `module.path:function` of a TypeScript or JavaScript file (docs/plugins.md): called once per generation, it adds parameters, keyed-by values, `run: using:` implementations and payload builders.
     */
    register?: string;
    /**
     * Python function that computes extra parameters (ignored here).
     */
    'decision-parameters'?: string;
    /**
     * Whether pull requests index what cached tasks build, in the `cache.pr` namespace, and look there too (default true).
     */
    'cache-pull-requests'?: boolean;
    /**
     * Index prefix of cached tasks (default `<trust-domain>`).
     */
    'cached-task-prefix'?: string;
    /**
     * Regular expressions that index paths must match.
     */
    'index-path-regexes'?: string[];
    /**
     * The repositories the graph is generated for, by short name.
     */
    repositories?: {
      [k: string]: {
        /**
         * Human-readable name of the repository.
         */
        name: string;
        /**
         * Regular expression of the `project` parameter values that belong to this repository.
         */
        'project-regex'?: string;
        /**
         * Secret holding an SSH key to clone the repository.
         */
        'ssh-secret-name'?: string;
        [k: string]: string | undefined;
      };
    };
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A value chosen by an attribute: `{by-<attribute>: {<value or regex>: ..., default: ...}}`.
 */
export interface KeyedBy {
  [k: string]: {
    [k: string]: unknown;
  };
}
/**
 * What one worker alias stands for.
 */
export interface WorkerAlias {
  /**
   * Provisioner id; `{level}`, `{trust-domain}` and `{alias}` are substituted. May be keyed by `level`.
   */
  provisioner: string | KeyedBy;
  /**
   * The worker implementation, which decides the payload format (docker-worker, generic-worker, or one a plugin provides). Any name is accepted here; a task on an alias whose implementation has no payload builder is an error at that task.
   */
  implementation: string;
  /**
   * Operating system of the workers (`linux`, `macosx`, `windows`).
   */
  os: string;
  /**
   * Worker type; `{level}`, `{trust-domain}` and `{alias}` are substituted. May be keyed by `level`.
   */
  'worker-type': string | KeyedBy;
}
