// taskgraph's substitutions are Python `str.format(**values)`: `{name}`,
// `{matrix[platform]}`, `{{` for a literal brace. Kind files written for
// taskgraph rely on exactly these rules (a doubled brace survives one
// substitution and is substituted by the next transform), so they are
// followed here, and every way Python would refuse a string is a FormatError
// that the caller locates in the YAML.

/** Why a string cannot be formatted; `message` is in the user's terms. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly expected?: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

/** `text` with every `{field}` replaced by its value in `values`, as Python's `text.format(**values)`. */
export function pythonFormat(text: string, values: Readonly<Record<string, unknown>>): string {
  // Most strings have no braces at all: nothing to parse.
  if (!text.includes('{') && !text.includes('}')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '}') {
      if (text[i + 1] !== '}') throw new FormatError(`single "}" in "${text}"`, 'a "}" closing a "{", or "}}" for a literal brace');
      out += '}';
      i += 2;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const end = closingBrace(text, i);
    out += replacement(text.slice(i + 1, end), values, text);
    i = end + 1;
  }
  return out;
}

/** Index of the `}` closing the field that opens at `start` (a format spec may hold nested fields). */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new FormatError(`"{" without its closing "}" in "${text}"`, 'a "}" after the name, or "{{" for a literal brace');
}

function replacement(field: string, values: Readonly<Record<string, unknown>>, text: string): string {
  // field_name[!conversion][:format_spec]; the name itself may contain neither.
  const nameEnd = field.search(/[!:]/);
  const name = nameEnd < 0 ? field : field.slice(0, nameEnd);
  let rest = nameEnd < 0 ? '' : field.slice(nameEnd);
  let conversion: string | undefined;
  if (rest.startsWith('!')) {
    conversion = rest[1];
    rest = rest.slice(2);
    if (!conversion || !'rsa'.includes(conversion) || (rest !== '' && !rest.startsWith(':'))) {
      throw new FormatError(`"{${field}}" in "${text}" has an unknown conversion`, '!r, !s or !a');
    }
  }
  if (rest.length > 1) {
    throw new FormatError(`"{${field}}" in "${text}" has a format specification, which is not supported here`, `"{${name}}"`);
  }
  const value = lookup(name, values, text);
  return conversion === 'r' || conversion === 'a' ? pythonRepr(value) : pythonStr(value);
}

/** `name`, then any number of `[key]` (and `.attribute`, which no YAML value has). */
function lookup(field: string, values: Readonly<Record<string, unknown>>, text: string): unknown {
  const match = /^([^.[]*)(.*)$/.exec(field)!;
  const first = match[1]!;
  const available = () => `one of the values given here: ${Object.keys(values).sort().join(', ') || '(none)'}`;
  if (first === '' || /^\d+$/.test(first)) {
    throw new FormatError(`"{${field}}" in "${text}" asks for a positional value; only named values are given`, available());
  }
  if (!Object.hasOwn(values, first)) throw new FormatError(`no value named "${first}" for "{${field}}" in "${text}"`, available());
  let value = values[first];
  let rest = match[2]!;
  while (rest) {
    const index = /^\[([^\]]*)\]/.exec(rest);
    if (index) {
      const key = index[1]!;
      rest = rest.slice(index[0].length);
      // Python reads an all-digit index as an integer: a list index, never a map key.
      const numeric = /^\d+$/.test(key);
      if (Array.isArray(value) && numeric && Number(key) < value.length) value = value[Number(key)];
      else if (typeof value === 'object' && value !== null && !Array.isArray(value) && !numeric && Object.hasOwn(value, key)) {
        value = (value as Record<string, unknown>)[key];
      } else {
        throw new FormatError(`"{${field}}" in "${text}": ${shortRepr(value)} has no entry [${key}]`);
      }
      continue;
    }
    throw new FormatError(`"{${field}}" in "${text}" is not a name followed by [key] lookups`, '"{name}" or "{name[key]}"');
  }
  return value;
}

/** A value in a message: its repr when short; a whole task would fill the screen, so a long map is named by its keys. */
function shortRepr(value: unknown): string {
  const repr = pythonRepr(value);
  if (repr.length <= 80) return repr;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    return `a map with the keys ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? `, … (${keys.length} in all)` : ''}`;
  }
  return `${repr.slice(0, 77)}...`;
}

/** Python's `str()` of a YAML value. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr()` of a YAML value, as a `{x}` of a list or map shows its items. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${quote(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + q;
}
