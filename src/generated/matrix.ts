// GENERATED FILE, DO NOT EDIT. Generated from schemas/matrix.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * Dimensions to split the task along, and how the copies are named and filled in.
 */
export interface Matrix {
  /**
   * Combinations to leave out. A rule names some dimensions and a value for each; every combination with all those values is left out.
   */
  exclude?: {
    [k: string]: string;
  }[];
  /**
   * The name of each copy, a format string such as `lint-{matrix[lang]}` (default: the task's name and the combination's values joined by `-`).
   */
  'set-name'?: string;
  /**
   * The fields (dotted paths such as `worker.env`) that `{matrix[...]}` is substituted into; default: every field of the task, its name included.
   */
  'substitution-fields'?: string[];
  /**
   * A dimension and its values, one copy of the task per value.
   *
   * @minItems 1
   */
  [k: string]:
    | (string | number | boolean)[]
    | {
        [k: string]: string;
      }[]
    | string
    | string[]
    | undefined;
}
