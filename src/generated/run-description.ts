// GENERATED FILE, DO NOT EDIT. Generated from schemas/run-description.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * How to run the task through run-task, instead of writing worker.command by hand.
 */
export interface RunDescriptionRunTask {
  /**
   * How the task is run; `run-task` here (toolchain-script and index-search have schemas of their own).
   */
  using: 'run-task';
  /**
   * What run-task runs after `--`. A list is passed as is; a string (or a `{task-reference: …}`) becomes one argument of the `exec-with` shell, e.g. `bash -cx <command>`.
   */
  command: string | TaskReference | (string | TaskReference)[];
  /**
   * The shell a string command is run with (default `bash`, i.e. `bash -cx`).
   */
  'exec-with'?: 'bash' | 'powershell';
  /**
   * `true` (default): check out the repository of config.yml `taskgraph.repositories` (only allowed when there is one); `false`: no checkout; a map of repository prefix → overrides: check out those.
   */
  checkout?:
    | boolean
    | {
        /**
         * Overrides of the repository's settings for this task, by taskgraph's field names (what config.yml and the parameters give otherwise).
         */
        [k: string]: {
          /**
           * Directory of this checkout, relative to the VCS path (default the VCS path itself).
           */
          path?: string;
          /**
           * Human-readable name of the repository (in REPOSITORIES).
           */
          name?: string;
          /**
           * URL of the repository the push was made against.
           */
          base_repository?: string;
          /**
           * URL of the repository to clone.
           */
          head_repository?: string;
          /**
           * Branch or ref to check out.
           */
          head_ref?: string;
          /**
           * Revision to check out.
           */
          head_rev?: string;
          /**
           * Version control system.
           */
          type?: 'git' | 'hg';
          /**
           * Taskcluster secret holding the SSH key to clone with.
           */
          ssh_secret_name?: string;
        };
      };
  /**
   * Base directory of the task on docker-worker (default `/builds/worker`); checkouts and tool caches live under it.
   */
  workdir?: string;
  /**
   * Directory the command runs in (run-task `--task-cwd`); `{checkout}` is replaced by the VCS path.
   */
  cwd?: string;
  /**
   * Caches to mount: `true` (all), `false` (none) or a list of names (a name listed twice, as task-defaults merging may leave it, counts once). Default, also for `null`: config.yml `taskgraph.run.use-caches`, else `[checkout]`. The checkout cache is never mounted without a checkout.
   */
  'use-caches'?: boolean | null | ('cargo' | 'checkout' | 'npm' | 'pip' | 'uv')[];
  /**
   * How run-task is invoked (default `/usr/local/bin/run-task` on docker-worker, `./run-task` on generic-worker).
   *
   * @minItems 1
   */
  'run-task-command'?: string[];
  /**
   * Run the command as root (run-task `--user root --group root`); default false.
   */
  'run-as-root'?: boolean;
}
/**
 * A string in which `<dependency name>` becomes that task's id.
 */
export interface TaskReference {
  /**
   * A string in which `<dependency name>` becomes that task's id.
   */
  'task-reference': string;
}
