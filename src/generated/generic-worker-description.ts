// GENERATED FILE, DO NOT EDIT. Generated from schemas/generic-worker-description.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * One mount.
 */
export type Mount =
  | {
      /**
       * Short name of the cache; the full name adds the trust domain and level.
       */
      'cache-name': string;
      /**
       * Directory, relative to the task directory, where the cache is mounted.
       */
      directory: string;
    }
  | {
      /**
       * File, relative to the task directory, to write the content to.
       */
      file: string;
      content: Content;
    }
  | {
      /**
       * Directory, relative to the task directory, to unpack the archive into.
       */
      directory: string;
      content: Content;
      /**
       * Archive format.
       */
      format: 'rar' | 'tar.bz2' | 'tar.gz' | 'tar.xz' | 'tar.zst' | 'zip';
    };
/**
 * Where a mounted file or archive comes from.
 */
export type Content =
  | {
      /**
       * URL to download.
       */
      url: string;
      /**
       * Expected SHA-256 of the download.
       */
      sha256?: string;
    }
  | {
      /**
       * Artifact name in the task, e.g. `public/build/target.tar.gz`.
       */
      artifact: string;
      /**
       * A string, or a reference resolved when the graph is submitted.
       */
      'task-id': string | TaskReference | ArtifactReference;
      /**
       * Expected SHA-256 of the artifact.
       */
      sha256?: string;
    };

/**
 * The `worker` section of a task whose worker alias is a generic-worker.
 */
export interface GenericWorkerDescription {
  /**
   * `generic-worker` (set by the task transform from the worker alias).
   */
  implementation?: 'generic-worker';
  /**
   * Operating system of the worker (set by the task transform from the worker alias).
   */
  os?: 'linux' | 'macosx' | 'windows' | 'linux-bitbar';
  /**
   * The commands: a list of commands, each a list of arguments (POSIX), or a list of command lines (Windows).
   */
  command: (string | TaskReference | ArtifactReference)[][] | (string | TaskReference | ArtifactReference)[];
  /**
   * Environment variables of the task.
   */
  env?: {
    /**
     * A string, or a reference resolved when the graph is submitted.
     */
    [k: string]: string | TaskReference | ArtifactReference;
  };
  /**
   * Seconds the task may run before the worker kills it.
   */
  'max-run-time': number;
  /**
   * Files or directories the task publishes.
   */
  artifacts?: {
    /**
     * Whether `path` is a file or a directory.
     */
    type: 'file' | 'directory';
    /**
     * Path relative to the task directory.
     */
    path: string;
    /**
     * Artifact name, e.g. `public/logs` (default the path).
     */
    name?: string;
    /**
     * Expiry of the artifact relative to task creation (default the task's).
     */
    'expires-after'?: string;
  }[];
  /**
   * What to mount in the task directory: a cache (`cache-name` + `directory`), a file (`file` + `content`), or an archive unpacked into a directory (`directory` + `content` + `format`).
   */
  mounts?: Mount[];
  /**
   * Exit statuses after which the task is retried.
   */
  'retry-exit-status'?: number[];
  /**
   * Exit statuses after which the worker purges the task's caches.
   */
  'purge-caches-exit-status'?: number[];
  /**
   * Produce chain-of-trust artifacts.
   */
  'chain-of-trust'?: boolean;
  /**
   * Give the task the Taskcluster proxy (it then uses the task's scopes).
   */
  'taskcluster-proxy'?: boolean;
  /**
   * Run the task as administrator (Windows).
   */
  'run-as-administrator'?: boolean;
  /**
   * Run the commands as the worker's own user rather than a task user (needs its scope).
   */
  'run-task-as-current-user'?: boolean;
  /**
   * Hide the command window of each command (Windows).
   */
  'hide-cmd-window'?: boolean;
  /**
   * OS groups the task user is made a member of (each needs its scope).
   */
  'os-groups'?: string[];
  /**
   * Whether the task publishes no artifacts (read by other transforms; not in the payload).
   */
  'skip-artifacts'?: boolean;
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
/**
 * A string in which `<dependency name/artifact path>` becomes that artifact's URL.
 */
export interface ArtifactReference {
  /**
   * A string in which `<dependency name/artifact path>` becomes that artifact's URL.
   */
  'artifact-reference': string;
}
