// GENERATED FILE, DO NOT EDIT. Generated from schemas/fetches.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * Kind → artifacts. Under `fetch` and `toolchain` an entry names a task of that kind (or its alias); under any other key, which must be a dependency name of the task, an entry is an artifact path below that task's artifact prefix.
 */
export interface Fetches {
  [k: string]: (string | Entry)[];
}
export interface Entry {
  /**
   * The fetch or toolchain task's name or alias, or the artifact path.
   */
  artifact: string;
  /**
   * Directory under MOZ_FETCHES_DIR to put it in (default MOZ_FETCHES_DIR itself).
   */
  dest?: string;
  /**
   * Unpack an archive (default true); false keeps the file as it is.
   */
  extract?: boolean;
  /**
   * Check the downloaded file against the digest its task published.
   */
  'verify-hash'?: boolean;
}
