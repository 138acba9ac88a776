// GENERATED FILE, DO NOT EDIT. Generated from schemas/fetch-entry.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export interface FetchEntry {
  /**
   * What is fetched (the task's description).
   */
  description: string;
  /**
   * What to fetch; `type` (static-url or git) says which keys apply.
   */
  fetch: {
    type: string;
    [k: string]: unknown;
  };
  /**
   * The file the entry was read from (set by the loader).
   */
  'task-from'?: string;
  /**
   * When the task and its artifact expire (default 1000 years at level 3, else config.yml task-expires-after or 28 days).
   */
  'expires-after'?: string;
  /**
   * The image to run in (default the in-tree image `fetch`).
   */
  'docker-image'?: {
    [k: string]: unknown;
  };
  /**
   * Another name a `fetch` list of `fetches` may use for this task.
   */
  'fetch-alias'?: string;
  /**
   * Artifact prefix of the upload (default `public`); a private one makes fetching tasks use the proxy and a scope.
   */
  'artifact-prefix'?: string;
  /**
   * Attributes of the task (fetch-artifact and fetch-alias are added).
   */
  attributes?: {
    [k: string]: unknown;
  };
}
