// GENERATED FILE, DO NOT EDIT. Generated from schemas/run-toolchain-script.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export interface RunToolchainScript {
  using: 'toolchain-script';
  /**
   * The script, relative to taskcluster/scripts/toolchain/ of the repository.
   */
  script: string;
  /**
   * The artifact the script produces, e.g. public/build/clang.tar.zst (what `fetches` downloads).
   */
  'toolchain-artifact': string;
  /**
   * Arguments of the script (part of the cache digest).
   */
  arguments?: string[];
  /**
   * Paths or patterns (`*`, `**`) of files git tracks that the result depends on (part of the cache digest).
   */
  resources?: string[];
  /**
   * Other name(s) a `toolchain` list of `fetches` may use (only a single string can be fetched by).
   */
  'toolchain-alias'?: string | string[];
  /**
   * Environment variables set in every task that fetches this toolchain.
   */
  'toolchain-env'?: {
    [k: string]: string;
  };
  /**
   * Base directory of the task (default /builds/worker).
   */
  workdir?: string;
  /**
   * As for run-task (default true).
   */
  checkout?: {
    [k: string]: unknown;
  };
  /**
   * As for run-task.
   */
  'use-caches'?: {
    [k: string]: unknown;
  };
  /**
   * As for run-task.
   */
  'run-as-root'?: boolean;
  /**
   * As for run-task.
   */
  'run-task-command'?: string[];
}
