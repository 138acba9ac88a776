// GENERATED FILE, DO NOT EDIT. Generated from schemas/docker-image-entry.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export interface DockerImageEntry {
  /**
   * Name of the image; defaults to the entry's key.
   */
  name?: string;
  /**
   * Another entry of this kind; its task builds the image this one starts FROM.
   */
  parent?: string;
  /**
   * Treeherder symbol, a bare symbol or GROUP(SYMBOL).
   */
  symbol?: string;
  /**
   * Build arguments passed to the Dockerfile.
   */
  args?: {
    [k: string]: string;
  };
  /**
   * Directory under docker/ holding the Dockerfile and its context; defaults to the image name.
   */
  definition?: string;
  /**
   * Index the image task under the product's routes.
   */
  index?: {
    product: string;
    'job-name': string;
    type?: string;
    rank?: number | ('by-tier' | 'build_date');
  };
  /**
   * Whether the image is cached by the digest of its inputs (default true).
   */
  cache?: boolean;
  /**
   * File the entry was defined in, relative to the kind directory.
   */
  'task-from'?: string;
}
