// What a plain (unquoted, untagged) YAML scalar means to taskgraph, which
// reads every file with PyYAML's SafeLoader: YAML 1.1's implicit types, with
// PyYAML's own resolver patterns (yaml/resolver.py) and constructors
// (yaml/constructor.py). A tree must mean the same thing here as there:
// `on` is true, `0755` is 493, `1:30` is 90, `1e3` stays a string.
// Both parsers (js-yaml for speed, `yaml` for positions) resolve through
// these functions, so that they cannot disagree.

// PyYAML: ^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$
const TRUE_WORDS = new Set(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
// PyYAML: ^(?:~|null|Null|NULL|)$
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

// PyYAML picks the candidate patterns by the first character; checking it
// first keeps the common case (a word) to one comparison per type.
const code = (text: string): number => text.charCodeAt(0);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSign = (c: number): boolean => c === 43 || c === 45;

// The patterns as sets of words: a lookup is faster than a regular expression
// on every scalar of a large tree.
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOL_WORDS = new Set([...TRUE_WORDS, 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

export const isYamlNull = (text: string): boolean => NULL_WORDS.has(text);

export const isYamlBool = (text: string): boolean => BOOL_WORDS.has(text);

export const yamlBool = (text: string): boolean => TRUE_WORDS.has(text);

export function isYamlInt(text: string): boolean {
  const c = code(text);
  if (!isDigit(c) && !isSign(c)) return false;
  if (c !== 48 && isDigit(c) && allDigits(text)) return true; // the common case, 3600
  // `0b_` and `0x_` match PyYAML's pattern but make its constructor fail: kept as text here.
  return INT.test(text) && !/^[-+]?0[bx]_*$/.test(text);
}

function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** The integer PyYAML constructs (any text the int pattern accepts; `!!int` text too). */
export function yamlInt(text: string): number {
  let value = text.replace(/_/g, '');
  let sign = 1;
  if (value[0] === '-') sign = -1;
  if (value[0] === '-' || value[0] === '+') value = value.slice(1);
  if (value === '0') return 0;
  if (value.startsWith('0b')) return sign * parseInt(value.slice(2), 2);
  if (value.startsWith('0x')) return sign * parseInt(value.slice(2), 16);
  if (value[0] === '0') return sign * parseInt(value, 8);
  if (value.includes(':')) return sign * sexagesimal(value);
  return sign * Number(value);
}

export function isYamlFloat(text: string): boolean {
  const c = code(text);
  // Every alternative of the pattern has a dot.
  return (isDigit(c) || isSign(c) || c === 46) && text.includes('.') && FLOAT.test(text);
}

export function yamlFloat(text: string): number {
  let value = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (value[0] === '-') sign = -1;
  if (value[0] === '-' || value[0] === '+') value = value.slice(1);
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  if (value.includes(':')) return sign * sexagesimal(value);
  return sign * Number(value);
}

function sexagesimal(value: string): number {
  let result = 0;
  for (const part of value.split(':')) result = result * 60 + Number(part);
  return result;
}

export function isYamlTimestamp(text: string): boolean {
  return text.length >= 8 && text.charCodeAt(4) === 45 && isDigit(code(text)) && TIMESTAMP.test(text);
}

export const isMergeKey = (text: string): boolean => text === '<<';

/** What plainValue() returns for a scalar that stays the text written. */
export const TEXT = Symbol('text');

/**
 * The value of a plain scalar, in PyYAML's order of resolvers, or TEXT. One
 * switch on the first character, as PyYAML picks its candidate patterns: most
 * scalars of a tree are words, settled by that one comparison.
 */
export function plainValue(text: string): string | number | boolean | null | typeof TEXT {
  if (text.length === 0) return null;
  const c = text.charCodeAt(0);
  if (isDigit(c) || isSign(c) || c === 46) {
    if (isYamlFloat(text)) return yamlFloat(text);
    if (isYamlInt(text)) return yamlInt(text);
    return TEXT;
  }
  switch (c) {
    case 126: // ~
      return text.length === 1 ? null : TEXT;
    case 110: // n: null or no
    case 78: // N
      return isYamlNull(text) ? null : isYamlBool(text) ? yamlBool(text) : TEXT;
    case 121: // y
    case 89: // Y
    case 116: // t
    case 84: // T
    case 102: // f
    case 70: // F
    case 111: // o
    case 79: // O
      return isYamlBool(text) ? yamlBool(text) : TEXT;
    default:
      return TEXT;
  }
}

export type PlainScalar =
  | { kind: 'value'; value: string | number | boolean | null }
  /** A date to PyYAML, which taskgraph cannot write as JSON: kept as the text written. */
  | { kind: 'timestamp'; value: string }
  | { kind: 'merge' };

/** plainValue(), telling merge keys and timestamps apart (for the slow path). */
export function resolvePlain(text: string): PlainScalar {
  const value = plainValue(text);
  if (value !== TEXT) return { kind: 'value', value };
  if (isMergeKey(text)) return { kind: 'merge' };
  if (isYamlTimestamp(text)) return { kind: 'timestamp', value: text };
  return { kind: 'value', value: text };
}
