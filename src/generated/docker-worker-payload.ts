// GENERATED FILE, DO NOT EDIT. Generated from schemas/docker-worker-payload.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export type DockerImageName = string;

/**
 * The `payload` of a task definition for docker-worker.
 */
export interface DockerWorkerPayload {
  /**
   * Name of the live log artifact (its backing log gets `_backing` before the extension).
   */
  log?: string;
  /**
   * The image, as a registry name or an object naming a docker-image, indexed image or task artifact.
   */
  image: DockerImageName | NamedDockerImage | IndexedDockerImage | DockerImageArtifact;
  /**
   * Cache name → mount point inside the container.
   */
  cache?: {
    [k: string]: string;
  };
  /**
   * Capabilities the task's container needs.
   */
  capabilities?: {
    /**
     * Run the container privileged (only where the worker type allows it).
     */
    privileged?: boolean;
    /**
     * No longer supported by docker-worker; kept for d2g.
     */
    disableSeccomp?: boolean;
    /**
     * Host devices attached to the container.
     */
    devices?: {
      loopbackVideo?: boolean;
      loopbackAudio?: boolean;
      hostSharedMemory?: boolean;
      kvm?: boolean;
    };
  };
  /**
   * The container's command, one argument per item.
   */
  command?: string[];
  /**
   * Environment variables (string values only).
   */
  env?: {
    [k: string]: string;
  };
  /**
   * Seconds the container may run.
   */
  maxRunTime: number;
  /**
   * Exit statuses that mean "retry" or "purge the caches".
   */
  onExitStatus?: {
    retry?: number[];
    purgeCaches?: number[];
  };
  /**
   * Artifact name → what to upload from the container.
   */
  artifacts?: {
    [k: string]: DockerWorkerArtifact;
  };
  /**
   * Unused; accepted for backward compatibility.
   */
  supersederUrl?: string;
  /**
   * Optional worker features.
   */
  features?: {
    localLiveLog?: boolean;
    bulkLog?: boolean;
    taskclusterProxy?: boolean;
    artifacts?: boolean;
    dind?: boolean;
    dockerSave?: boolean;
    interactive?: boolean;
    allowPtrace?: boolean;
    chainOfTrust?: boolean;
  };
}
export interface NamedDockerImage {
  type: 'docker-image';
  name: string;
}
export interface IndexedDockerImage {
  type: 'indexed-image';
  namespace: string;
  path: string;
}
export interface DockerImageArtifact {
  type: 'task-image';
  taskId: string;
  path: string;
}
export interface DockerWorkerArtifact {
  type: 'file' | 'directory' | 'volume';
  /**
   * Absolute path inside the container.
   */
  path: string;
  expires?: string;
}
