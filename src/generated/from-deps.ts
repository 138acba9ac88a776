// GENERATED FILE, DO NOT EDIT. Generated from schemas/from-deps.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * Which tasks of the kind-dependencies to follow, how to group them, and what each copy takes from them.
 */
export interface FromDeps {
  /**
   * The kinds to take tasks from (default: every kind of kind-dependencies). The first kind present in a group is the primary kind: its task names the copy and gives the copied attributes.
   */
  kinds?: string[];
  /**
   * How each copy is named after its primary dependency: `strip-kind` (default; its label without the kind prefix), `retain-kind` (its label), `false` or null (keep the task's own name), or a function registered by a plugin, with its argument as `{<function>: <argument>}`.
   */
  'set-name'?:
    | null
    | boolean
    | string
    | {
        [k: string]: unknown;
      };
  /**
   * Only tasks with these attributes: each attribute equal to the value, or to one of the values of a list; null: every task.
   */
  'with-attributes'?: {
    [k: string]: string | number | boolean | unknown[];
  } | null;
  /**
   * `single` (default; a copy per task), `all` (one copy over every task), `{attribute: <name>}` (a copy per value of the attribute; tasks without it are left out), or a function registered by a plugin.
   */
  'group-by'?:
    | string
    | {
        [k: string]: unknown;
      };
  /**
   * Copy the attributes of the primary dependency into the copy (its own attributes win); null is false.
   */
  'copy-attributes'?: boolean | null;
  /**
   * At most one task per kind in a group (default true); the dependencies are then named by kind, otherwise by label. null is false, as in taskgraph, where a present null replaces the default.
   */
  'unique-kinds'?: boolean | null;
  /**
   * Kind → artifacts to fetch from each dependency of that kind. `artifact` and `dest` are format strings over the dependency's attributes, such as `target-{platform}.tar.gz`.
   */
  fetches?: {
    [k: string]: {
      artifact: string;
      dest?: string;
      extract?: boolean;
      'verify-hash'?: boolean;
    }[];
  } | null;
}
