// GENERATED FILE, DO NOT EDIT. Generated from schemas/fetch-static-url.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export interface FetchStaticUrl {
  type: 'static-url';
  /**
   * Where to download from.
   */
  url: string;
  /**
   * SHA-256 of the downloaded file, 64 hex digits.
   */
  sha256: string;
  /**
   * Size of the downloaded file in bytes.
   */
  size: number;
  /**
   * Name of the uploaded artifact (default the last part of the URL).
   */
  'artifact-name'?: string;
  /**
   * Leading path components to drop from an archive's members when repacking.
   */
  'strip-components'?: number;
  /**
   * Path to put before every member of an archive when repacking.
   */
  'add-prefix'?: string;
  /**
   * HTTP request headers, name → value.
   */
  headers?: {
    [k: string]: string;
  };
}
