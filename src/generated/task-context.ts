// GENERATED FILE, DO NOT EDIT. Generated from schemas/task-context.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * Where the values come from, and the fields they are substituted into.
 */
export interface TaskContext {
  /**
   * The fields (dotted paths such as `worker.env`) in which keyed-by values are resolved with the context and then `{name}` substituted. Keyed-by is resolved at the path itself only, not inside it.
   */
  'substitution-fields': string[];
  /**
   * Context name → parameter (a dotted path into the parameters), or a list of parameters of which the first that is not null is taken. Wins over every other source.
   */
  'from-parameters'?: {
    [k: string]: string | string[];
  };
  /**
   * A YAML file of context values, relative to the repository root (the directory that holds the taskgraph root).
   */
  'from-file'?: string;
  /**
   * Context values given directly; they win over from-file, parameters win over them.
   */
  'from-object'?: {
    [k: string]: unknown;
  };
  /**
   * Names of context providers registered by plugins (none are built in).
   */
  'from-custom'?: string[];
  /**
   * Options of keyed-by resolution.
   */
  'resolve-keyed-by-options'?: {
    /**
     * Attributes whose `by-<attribute>` are left unresolved, for a later transform.
     */
    defer?: string[];
    /**
     * Accepted for compatibility and, as in taskgraph 24.2, without effect: a value matching several keys is still an error.
     */
    'enforce-single-match'?: boolean;
  };
}
