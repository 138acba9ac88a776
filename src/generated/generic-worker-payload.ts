// GENERATED FILE, DO NOT EDIT. Generated from schemas/generic-worker-payload.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export type Mount = FileMount | WritableDirectoryCache | ReadOnlyDirectory;
export type Content = ArtifactContent | IndexedContent | URLContent | RawContent | Base64Content;
export type ArchiveFormat = 'rar' | 'tar.bz2' | 'tar.gz' | 'tar.xz' | 'tar.zst' | 'zip';

/**
 * The `payload` of a task definition for generic-worker on Linux/macOS.
 */
export interface GenericWorkerPayload {
  /**
   * The commands to run in order, each a list of arguments.
   *
   * @minItems 1
   */
  command: string[][];
  /**
   * Environment variables (string values only).
   */
  env?: {
    [k: string]: string;
  };
  /**
   * Seconds the task may run.
   */
  maxRunTime: number;
  /**
   * Artifacts to publish.
   */
  artifacts?: GenericWorkerArtifact[];
  /**
   * Optional worker features.
   */
  features?: {
    chainOfTrust?: boolean;
    taskclusterProxy?: boolean;
    liveLog?: boolean;
    backingLog?: boolean;
    interactive?: boolean;
  };
  /**
   * Files and directories to mount before the commands run.
   */
  mounts?: Mount[];
  /**
   * OS groups for the task user; generic-worker on POSIX does not implement them.
   */
  osGroups?: string[];
  /**
   * Unused; accepted for backward compatibility.
   */
  supersederUrl?: string;
  /**
   * Exit statuses that mean "retry" or "purge the caches".
   */
  onExitStatus?: {
    retry?: number[];
    purgeCaches?: number[];
  };
  /**
   * Names of the log artifacts.
   */
  logs?: {
    live?: string;
    backing?: string;
  };
}
export interface GenericWorkerArtifact {
  type: 'file' | 'directory';
  /**
   * Path relative to the task directory.
   */
  path: string;
  /**
   * Published name; defaults to the path.
   */
  name?: string;
  expires?: string;
  contentType?: string;
  contentEncoding?: 'identity' | 'gzip';
}
export interface FileMount {
  /**
   * Where to put the file.
   */
  file: string;
  content: Content;
}
export interface ArtifactContent {
  taskId: string;
  artifact: string;
  sha256?: string;
}
export interface IndexedContent {
  namespace: string;
  artifact: string;
}
export interface URLContent {
  url: string;
  sha256?: string;
}
export interface RawContent {
  raw: string;
}
export interface Base64Content {
  base64: string;
}
export interface WritableDirectoryCache {
  /**
   * Where to mount the cache.
   */
  directory: string;
  /**
   * The cache's name; needs the scope `generic-worker:cache:<cacheName>`.
   */
  cacheName: string;
  content?: Content;
  format?: ArchiveFormat;
}
export interface ReadOnlyDirectory {
  /**
   * Where to unpack the content.
   */
  directory: string;
  content: Content;
  format: ArchiveFormat;
}
