// GENERATED FILE, DO NOT EDIT. Generated from schemas/builtin-payload.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * The `payload` of a task on the built-in worker types succeed and always-optimized.
 */
export interface BuiltInWorkerPayload {}
