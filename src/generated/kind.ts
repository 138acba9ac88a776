// GENERATED FILE, DO NOT EDIT. Generated from schemas/kind.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * One kind of tasks (`kinds/<kind>/kind.yml`).
 */
export interface Kind {
  /**
   * The loader: taskgraph's default transform loader (`taskgraph.loader.default:loader` or `taskgraph.loader.transform:loader`), or a loader of the repository's own as `module.path:attribute` (docs/plugins.md).
   */
  loader?: string;
  /**
   * The transforms the tasks go through, in order, as `module:name`.
   */
  transforms?: string[];
  /**
   * Kinds whose tasks the tasks of this kind may depend on; they are loaded first.
   */
  'kind-dependencies'?: string[];
  /**
   * Merged into every task of the kind: maps recursively, lists concatenated (defaults first), other values replaced by the task's.
   */
  'task-defaults'?: {
    [k: string]: unknown;
  };
  /**
   * The tasks of the kind, by name.
   */
  tasks?: {
    [k: string]: {
      [k: string]: unknown;
    };
  };
  /**
   * Further files (relative to the kind directory) whose top-level keys are tasks; a `task-defaults` key in such a file applies to that file's tasks only.
   */
  'tasks-from'?: string[];
}
