// GENERATED FILE, DO NOT EDIT. Generated from schemas/parameters.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * Parameters of a graph generation (`--params FILE` plus `-p key=value` overrides).
 */
export interface GraphParameters {
  /**
   * URL of the repository the push is based on (default `head_repository`).
   */
  base_repository?: string;
  /**
   * Branch or ref the push is based on (default empty).
   */
  base_ref?: string;
  /**
   * Revision the push is based on (default empty).
   */
  base_rev?: string;
  /**
   * Seconds since the epoch of the graph generation (default now); `created`, `deadline` and `expires` of every task are relative to it. Give it to get reproducible output.
   */
  build_date?: number;
  /**
   * Build number of a release (default 1).
   */
  build_number?: number;
  /**
   * Code-review settings (Phabricator).
   */
  code_review?: {
    /**
     * The Phabricator build target.
     */
    phabricator_build_target: string;
  };
  /**
   * Labels of tasks that must not be optimized away (default none).
   */
  do_not_optimize?: string[];
  /**
   * Whether tasks with `always-target` are added to the target set (default true), or the kinds for which they are.
   */
  enable_always_target?: boolean | string[];
  /**
   * Label → task id of tasks to reuse instead of creating (default none).
   */
  existing_tasks?: {
    [k: string]: string;
  };
  /**
   * Files changed by the push (default none).
   */
  files_changed?: string[];
  /**
   * Target task filters (default `[target_tasks_method]`).
   */
  filters?: string[];
  /**
   * Branch or ref of the push (default `head_rev`).
   */
  head_ref?: string;
  /**
   * URL of the repository of the push (default empty).
   */
  head_repository?: string;
  /**
   * Revision of the push (default empty).
   */
  head_rev?: string;
  /**
   * Tag of the push (default empty).
   */
  head_tag?: string;
  /**
   * SCM level of the push, a string: `'1'` (untrusted, e.g. pull requests), `'2'` or `'3'` (default `'3'`).
   */
  level?: '1' | '2' | '3';
  /**
   * The build date as `YYYYMMDDhhmmss` (default derived from `build_date`, in UTC).
   */
  moz_build_date?: string;
  /**
   * Version of the next release, if any.
   */
  next_version?: string | null;
  /**
   * Python path of alternative optimization strategies, if any.
   */
  optimize_strategies?: string | null;
  /**
   * Whether target tasks may be optimized away (default true).
   */
  optimize_target_tasks?: boolean;
  /**
   * Email address of who triggered the graph (default `nobody@mozilla.com`).
   */
  owner?: string;
  /**
   * Short name of the project (default the last component of `head_repository`).
   */
  project?: string;
  /**
   * Seconds since the epoch of the push (default `build_date`).
   */
  pushdate?: number;
  /**
   * Id of the push in the pushlog (default `'0'`).
   */
  pushlog_id?: string;
  /**
   * Version control system, `git` or `hg` (default `git`).
   */
  repository_type?: 'git' | 'hg';
  /**
   * Name of the target-task selection method (default `default`).
   */
  target_tasks_method?: string;
  /**
   * What the graph is generated for, e.g. `github-push`, `github-pull-request`, `hg-push`, `cron`, `action` (default empty).
   */
  tasks_for?: string;
  /**
   * The trust domain (default the graph config's `trust-domain`).
   */
  trust_domain?: string;
  /**
   * Version of the product, if any (default none).
   */
  version?: string | null;
  /**
   * `<prefix>_head_repository`: URL to fetch that repository's revision from (default its `default-repository`); `<prefix>_base_repository`: URL to clone it from first (default its `default-repository`, else `<prefix>_head_repository`).
   *
   * This interface was referenced by `GraphParameters`'s JSON-Schema definition
   * via the `patternProperty` "^.+_(base_repository|head_repository)$".
   *
   * `<prefix>_head_rev`: the revision of that repository to check out (default none: the tip of its head ref); `<prefix>_head_ref`: the branch or ref to fetch (default its `default-ref`, else `<prefix>_head_rev`).
   *
   * This interface was referenced by `GraphParameters`'s JSON-Schema definition
   * via the `patternProperty` "^.+_(head_ref|head_rev)$".
   *
   * Version control system of that repository (default its `type`).
   *
   * This interface was referenced by `GraphParameters`'s JSON-Schema definition
   * via the `patternProperty` "^.+_repository_type$".
   */
  [k: string]:
    | string
    | 'git'
    | 'hg'
    | number
    | {
        /**
         * The Phabricator build target.
         */
        phabricator_build_target: string;
      }
    | string[]
    | boolean
    | {
        [k: string]: string;
      }
    | '1'
    | '2'
    | '3'
    | null
    | undefined;
}
