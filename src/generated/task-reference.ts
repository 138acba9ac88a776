// GENERATED FILE, DO NOT EDIT. Generated from schemas/task-reference.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * The reference forms a task description may use in place of a string.
 */
export interface TaskReferences {
  [k: string]: unknown;
}
