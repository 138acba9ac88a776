// GENERATED FILE, DO NOT EDIT. Generated from schemas/chunk.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * How many copies of the task to make, and where their chunk numbers go.
 */
export interface Chunk {
  /**
   * The number of copies (chunks); 0 makes none. May be keyed-by, resolved before this transform by task_context.
   */
  'total-chunks': number;
  /**
   * The fields (dotted paths such as `worker.env`) that `{this_chunk}` and `{total_chunks}` are substituted into.
   */
  'substitution-fields'?: string[];
}
