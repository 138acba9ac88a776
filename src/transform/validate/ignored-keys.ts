// Where taskgraph 24.2 accepts keys its schema does not list (its run, worker
// and transform schemas are declared with forbid_unknown_fields=False) and
// ignores them, the object schema here says so with this annotation: an
// unknown key there is a warning, not an error, and it is taken out of the
// value, so that what follows sees what taskgraph's code sees.

/** The schema annotation (scripts/precompile-validators.mjs registers it too). */
export const IGNORES_UNKNOWN_KEYS = 'x-taskgraph-ignores-unknown-keys';

/** Whether an `additionalProperties` error's object schema carries the annotation. */
export const ignoresUnknownKeys = (schema: unknown): boolean =>
  typeof schema === 'object' && schema !== null && (schema as Record<string, unknown>)[IGNORES_UNKNOWN_KEYS] === true;

/** Deletes `key` from the object at JSON pointer `pointer` inside `root`. */
export function dropKey(root: unknown, segments: readonly string[], key: string): void {
  let at: unknown = root;
  for (const segment of segments) {
    if (typeof at !== 'object' || at === null) return;
    at = (at as Record<string, unknown>)[segment];
  }
  if (typeof at === 'object' && at !== null && !Array.isArray(at)) delete (at as Record<string, unknown>)[key];
}
