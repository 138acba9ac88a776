// taskgraph's resolve_keyed_by for a plugin's own transforms. Part of the API
// bundle (api.ts re-exports it), so it imports nothing: the pipeline's
// keyed-by stage (src/transform/keyed-by.ts) chooses the same way but also
// tracks YAML positions, which a plugin's tasks no longer have.

export interface ResolveKeyedByOptions {
  /** Attributes left unresolved (their `by-*` map stays as it is). */
  defer?: readonly string[];
  /** When false, the first of several matching keys is taken instead of an error (taskgraph's enforce_single_match). */
  enforceSingleMatch?: boolean;
}

type Item = Record<string, unknown>;

const isMap = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);

function byKeyOf(value: unknown): string | undefined {
  if (!isMap(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('by-') ? keys[0] : undefined;
}

/** The keys `target` chooses: itself, else those matching it as a whole regular expression, else `default`. */
function matchingKeys(keys: readonly string[], target: string): string[] {
  if (keys.includes(target)) return [target];
  const matching = keys.filter((key) => {
    if (key === 'default') return false;
    try {
      return new RegExp(`^(?:${key})$`).test(target);
    } catch {
      return false;
    }
  });
  if (matching.length) return matching;
  return keys.includes('default') ? ['default'] : [];
}

/**
 * Resolves the keyed-by value at `field` (dotted: `worker.max-run-time`) of
 * `item` in place and returns `item`, as taskgraph's resolve_keyed_by: the
 * attribute of a `by-<attribute>` is looked up in `extraValues`, then among
 * the item's own top-level fields. A field that is absent is left alone. A
 * value that cannot be resolved throws an Error naming `itemName` and the field.
 */
export function resolveKeyedBy<T extends object>(
  item: T,
  field: string,
  itemName: string,
  extraValues: Readonly<Record<string, unknown>> = {},
  options: ResolveKeyedByOptions = {},
): T {
  const parts = field.split('.');
  let container: unknown = item;
  for (const part of parts.slice(0, -1)) {
    if (!isMap(container) || !Object.hasOwn(container, part)) return item;
    container = container[part];
  }
  const last = parts.at(-1)!;
  if (!isMap(container) || !Object.hasOwn(container, last)) return item;
  const where = `\`${field}\` in \`${itemName}\``;
  const attributes: Item = { ...(item as Item), ...extraValues };
  let value = container[last];
  for (let byKey = byKeyOf(value); byKey !== undefined; byKey = byKeyOf(value)) {
    const attribute = byKey.slice(3);
    if (options.defer?.includes(attribute)) break;
    const alternatives = (value as Item)[byKey];
    if (!isMap(alternatives)) throw new Error(`"${byKey}" must map values of "${attribute}" to choices, in ${where}`);
    const keys = Object.keys(alternatives);
    if (keys.length === 1 && keys[0] === 'default') throw new Error(`"${byKey}" has only a "default" alternative, in ${where}: write the value directly`);
    const target = attributes[attribute];
    if (target === undefined || target === null) {
      if (!keys.includes('default')) throw new Error(`no attribute "${attribute}" and no "default" alternative, in ${where}`);
      value = alternatives.default;
      continue;
    }
    const text = typeof target === 'string' ? target : JSON.stringify(target);
    const chosen = matchingKeys(keys, text);
    if (chosen.length > 1 && options.enforceSingleMatch !== false) {
      throw new Error(`${attribute} "${text}" matches several keys (${chosen.map((k) => JSON.stringify(k)).join(', ')}), in ${where}`);
    }
    if (chosen.length === 0) throw new Error(`${attribute} "${text}" matches none of the keys (${keys.map((k) => JSON.stringify(k)).join(', ')}) and there is no "default", in ${where}`);
    value = alternatives[chosen[0]!];
  }
  container[last] = value;
  return item;
}
