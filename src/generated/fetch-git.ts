// GENERATED FILE, DO NOT EDIT. Generated from schemas/fetch-git.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

export interface FetchGit {
  type: 'git';
  /**
   * URL of the repository.
   */
  repo: string;
  /**
   * The commit to archive, as 40 hex digits (a branch or tag would change under the cache).
   */
  revision: string;
  /**
   * Keep the .git directory in the archive.
   */
  'include-dot-git'?: boolean;
  /**
   * Name of the uploaded artifact (default `<path-prefix>.tar.zst`).
   */
  'artifact-name'?: string;
  /**
   * Directory the archive's members are under (default the repository's name).
   */
  'path-prefix'?: string;
  /**
   * Taskcluster secret holding the SSH key to clone with (adds a secrets:get scope and the proxy).
   */
  'ssh-key'?: string;
}
