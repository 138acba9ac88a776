// GENERATED FILE, DO NOT EDIT. Generated from schemas/run-index-search.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export interface RunIndexSearch {
  using: 'index-search';
  /**
   * Index namespaces in order of preference; `{parameter}` is replaced by that parameter.
   *
   * @minItems 1
   */
  'index-search': string[];
}
