// Python's `str.format` as taskgraph uses it on strings of a tree: replacement
// fields are a name with optional `[key]` lookups (`{task[name]}`,
// `{config[kind]}`), `{{` and `}}` stand for braces. Conversions, format specs
// and attribute access are not used by taskgraph's own strings and are
// refused rather than guessed at.
import { isRecord } from './plain-data.js';

export type FormatResult = { text: string } | { error: string };

const FIELD = /\{\{|\}\}|\{([^{}]*)\}/g;
const NAME_AND_KEYS = /^([A-Za-z_][\w-]*)((?:\[[^\]]*\])*)$/;

/** A value as Python's str() writes the scalars taskgraph formats. */
function pythonStr(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  return undefined;
}

export function formatPython(text: string, names: Readonly<Record<string, unknown>>): FormatResult {
  let error: string | undefined;
  const out = text.replace(FIELD, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (error !== undefined || field === undefined) return whole;
    const parsed = NAME_AND_KEYS.exec(field);
    if (!parsed) {
      error = `{${field}} is not a field this tool can format (a name with optional [key] lookups)`;
      return whole;
    }
    const [, name, keys] = parsed;
    if (!Object.hasOwn(names, name!)) {
      error = `{${field}} names "${name}", which is not one of: ${Object.keys(names).join(', ')}`;
      return whole;
    }
    let value: unknown = names[name!];
    for (const [, key] of keys!.matchAll(/\[([^\]]*)\]/g)) {
      const index = /^\d+$/.test(key!) ? Number(key) : key!;
      if (Array.isArray(value) && typeof index === 'number' && index < value.length) value = value[index];
      else if (isRecord(value) && Object.hasOwn(value, key!)) value = value[key!];
      else {
        error = `{${field}}: there is no "${key}" here`;
        return whole;
      }
    }
    const str = pythonStr(value);
    if (str === undefined) error = `{${field}} is not a string or number`;
    return str ?? whole;
  });
  return error === undefined ? { text: out } : { error };
}
