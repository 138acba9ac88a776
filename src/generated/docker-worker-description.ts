// GENERATED FILE, DO NOT EDIT. Generated from schemas/docker-worker-description.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * The `worker` section of a task whose worker alias is a docker-worker.
 */
export interface DockerWorkerDescription {
  /**
   * `docker-worker` (set by the task transform from the worker alias).
   */
  implementation?: 'docker-worker';
  /**
   * `linux` (set by the task transform from the worker alias).
   */
  os?: 'linux';
  /**
   * The image: a registry image name (`debian:12`), `{in-tree: NAME}` for an image built by the docker-image kind from `docker/NAME`, or `{indexed: NAMESPACE}` for an image task found in the index.
   */
  'docker-image':
    | string
    | {
        /**
         * Name of a directory under `docker/`.
         */
        'in-tree': string;
      }
    | {
        /**
         * Index namespace of a task whose `public/image.tar.zst` is the image.
         */
        indexed: string;
      };
  /**
   * Seconds the task may run before the worker kills it.
   */
  'max-run-time': number;
  /**
   * The command and its arguments; starts with `run-task` to get validated caches.
   *
   * Items: A string, or a reference resolved when the graph is submitted.
   */
  command?: (string | TaskReference | ArtifactReference)[];
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
   * Persistent caches; their payload names and scopes follow the cache protocol.
   */
  caches?: {
    /**
     * Only persistent caches exist.
     */
    type?: 'persistent';
    /**
     * Short name of the cache; the full name adds the trust domain, level and a suffix.
     */
    name: string;
    /**
     * Absolute path where the cache is mounted in the container.
     */
    'mount-point': string;
    /**
     * Drop this cache at level 1 (untrusted pushes).
     */
    'skip-untrusted'?: boolean;
  }[];
  /**
   * Absolute paths that are Docker volumes (besides the image's `VOLUME` lines); run-task checks that they start empty.
   */
  volumes?: string[];
  /**
   * Files or directories the task publishes.
   */
  artifacts?: Artifact[];
  /**
   * Give the task the Taskcluster proxy (it then uses the task's scopes).
   */
  'taskcluster-proxy'?: boolean;
  /**
   * Produce chain-of-trust artifacts.
   */
  'chain-of-trust'?: boolean;
  /**
   * Allow ptrace inside the container.
   */
  'allow-ptrace'?: boolean;
  /**
   * Give the task a loopback video device.
   */
  'loopback-video'?: boolean;
  /**
   * Give the task a loopback audio device.
   */
  'loopback-audio'?: boolean;
  /**
   * Give the task access to a Docker daemon.
   */
  'docker-in-docker'?: boolean;
  /**
   * Run the container privileged.
   */
  privileged?: boolean;
  /**
   * Run the container without a seccomp profile.
   */
  'disable-seccomp'?: boolean;
  /**
   * Exit statuses after which the task is retried.
   */
  'retry-exit-status'?: number[];
  /**
   * Exit statuses after which the worker purges the task's caches.
   */
  'purge-caches-exit-status'?: number[];
  /**
   * Do not upload artifacts.
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
/**
 * One published artifact.
 */
export interface Artifact {
  /**
   * Whether `path` is a file or a directory.
   */
  type: 'file' | 'directory';
  /**
   * Path in the container.
   */
  path: string;
  /**
   * Artifact name, e.g. `public/build`.
   */
  name: string;
  /**
   * Expiry of the artifact relative to task creation (default the task's).
   */
  'expires-after'?: string;
}
