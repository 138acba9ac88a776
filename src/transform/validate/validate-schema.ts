// Checks a value against one of the package's schemas and words every problem
// in the user's terms, located in their file.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { distance } from 'fastest-levenshtein';
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import type { SourceMap } from '../model.js';
import { locateKey } from '../load/source-map.js';
import { explainErrors, pointerSegments } from './explain-errors.js';
import { dropKey, ignoresUnknownKeys } from './ignored-keys.js';
import { precompiledCheck } from './precompiled.js';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.js';

export interface ValidateOptions {
  /**
   * Keys the schema allows at the root through patternProperties that are
   * known only from other input (`tools_head_rev` for a repository of
   * config.yml): offered, with the schema's properties, as the nearest key
   * to an unknown one.
   */
  rootKeys?: readonly string[];
}

/**
 * Problems of `value` against `schemas/<schemaId>.yml`; empty when valid.
 * `source` locates paths of the document that `value` sits in at `pathPrefix`.
 */
export function validateValue(
  schemaId: string,
  value: unknown,
  source: SourceMap,
  pathPrefix: YamlPath = [],
  options: ValidateOptions = {},
): Diagnostic[] {
  // The check generated at build time answers for valid values; the compiled,
  // verbose validator is built only to explain an invalid one.
  if (precompiledCheck('input', schemaId)?.(value)) return [];
  const registry = schemaRegistry();
  return validateWith(registry, registry.validator(schemaId), value, source, pathPrefix, options);
}

/** Problems of `value` against a validator compiled by `registry` (a plugin's schema), worded as validateValue words them. */
export function validateWith(
  registry: SchemaRegistry,
  validate: ValidateFunction,
  value: unknown,
  source: SourceMap,
  pathPrefix: YamlPath = [],
  options: ValidateOptions = {},
): Diagnostic[] {
  if (validate(value)) return [];
  const errors = explainErrors(registry, validate.errors ?? [], value);
  const seen = new Set<string>();
  let diagnostics: Described[] = [];
  for (const error of errors) {
    const diagnostic = describe(error, value, source, pathPrefix, error.instancePath === '' ? (options.rootKeys ?? []) : []);
    const key = `${diagnostic.path?.join('\u0000')}\u0001${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  // A misspelt required key shows up twice: as unknown, and as missing. The
  // "unknown" one (with its "did you mean") says it all.
  const misspelt = new Set<string>();
  for (const d of diagnostics) {
    const suggestion = d.suggestion;
    if (suggestion !== undefined) misspelt.add([...(d.path ?? []).slice(0, -1), suggestion].join('\u0000'));
  }
  const typos = new Set<string>();
  diagnostics = diagnostics.filter((d) => {
    const typo = d.missingKey !== undefined && misspelt.has([...(d.path ?? []), d.missingKey].join('\u0000'));
    if (typo) typos.add([...(d.path ?? []), d.missingKey].join('\u0000'));
    return !typo;
  });
  for (const d of diagnostics) {
    if (!d.ignored) continue;
    // A near miss of a required key is that key misspelt, not a key to ignore.
    if (d.suggestion !== undefined && typos.has([...(d.path ?? []).slice(0, -1), d.suggestion].join('\u0000'))) {
      d.severity = 'error';
      d.message = `unknown key "${d.ignored.key}"`;
    } else {
      dropKey(value, d.ignored.segments, d.ignored.key);
    }
  }
  return diagnostics.map(({ suggestion: _s, missingKey: _m, ignored: _i, ...d }) => d).sort(byLocation);
}

function byLocation(a: Diagnostic, b: Diagnostic): number {
  const x = a.location;
  const y = b.location;
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  if (x.file !== y.file) return x.file < y.file ? -1 : 1;
  return x.line - y.line || x.column - y.column;
}

/** A Diagnostic plus what the duplicate filter above needs to know. */
interface Described extends Diagnostic {
  suggestion?: string;
  missingKey?: string;
  /** An unknown key where taskgraph ignores unknown keys: where it is, to take it out of the value. */
  ignored?: { segments: string[]; key: string };
}

function describe(error: ErrorObject, root: unknown, source: SourceMap, prefix: YamlPath, moreKeys: readonly string[]): Described {
  const path = [...prefix, ...yamlPath(root, error.instancePath)];
  const at = (p: YamlPath): Diagnostic => ({ severity: 'error', message: '', path: p, location: source.locate(p) });
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  switch (error.keyword) {
    case 'type':
      return { ...at(path), message: `wrong type: found ${describeValue(data)}`, expected: typeNames([params.type as string | string[]].flat()) };
    case 'required': {
      const key = String(params.missingProperty);
      // At the key of the map that lacks it (`worker:`), not at its first entry.
      const location = path.length > 0 ? locateKey(source, path) : source.locate(path);
      return { ...at(path), location, message: `missing required key "${key}"`, missingKey: key };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keyPath = [...path, key];
      const allowed = [...Object.keys((error.parentSchema as { properties?: object }).properties ?? {}), ...moreKeys];
      const diagnostic: Described = { ...at(keyPath), location: locateKey(source, keyPath), message: `unknown key "${key}"` };
      if (ignoresUnknownKeys(error.parentSchema)) {
        diagnostic.severity = 'warning';
        diagnostic.message = `unknown key "${key}" is ignored, as taskgraph ignores it`;
        diagnostic.ignored = { segments: pointerSegments(error.instancePath), key };
      }
      if (allowed.length > 0) {
        const nearest = nearestKey(key, allowed);
        if (isNear(key, nearest)) {
          // A likely typo: the suggestion says it all; the full list would bury it.
          diagnostic.hint = `did you mean "${nearest}"?`;
          diagnostic.suggestion = nearest;
        } else {
          diagnostic.expected = `one of the keys: ${allowed.join(', ')}`;
        }
      } else {
        diagnostic.expected = 'no keys here';
      }
      return diagnostic;
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      const keyPath = [...path, key];
      return { ...at(keyPath), location: locateKey(source, keyPath), message: `key "${key}" is not allowed here`, expected: keyExpectation(error.schema) };
    }
    case 'enum':
      return {
        ...at(path),
        message: `${describeValue(data)} is not an allowed value`,
        expected: `one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { ...at(path), message: `${describeValue(data)} is not the allowed value`, expected: JSON.stringify(params.allowedValue) };
    case 'pattern':
      return { ...at(path), message: `${describeValue(data)} does not have the expected form`, expected: `a string matching /${String(params.pattern)}/` };
    case 'format':
      return { ...at(path), message: `${describeValue(data)} is not a valid ${String(params.format)}`, expected: `a ${String(params.format)}` };
    case 'minLength':
      return params.limit === 1
        ? { ...at(path), message: 'must not be empty', expected: 'a non-empty string' }
        : { ...at(path), message: `${describeValue(data)} is too short`, expected: `at least ${String(params.limit)} characters` };
    case 'maxLength':
      return { ...at(path), message: `${describeValue(data)} is too long`, expected: `at most ${String(params.limit)} characters` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { ...at(path), message: `${describeValue(data)} is too small`, expected: `a number ${String(params.comparison)} ${String(params.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { ...at(path), message: `${describeValue(data)} is too large`, expected: `a number ${String(params.comparison)} ${String(params.limit)}` };
    case 'minItems':
      return { ...at(path), message: 'too few entries', expected: `at least ${String(params.limit)}` };
    case 'maxItems':
      return { ...at(path), message: 'too many entries', expected: `at most ${String(params.limit)}` };
    case 'minProperties':
      return { ...at(path), message: 'too few keys', expected: `at least ${String(params.limit)}` };
    case 'maxProperties':
      return { ...at(path), message: 'too many keys', expected: `at most ${String(params.limit)}` };
    case 'anyOf':
    case 'oneOf':
      return { ...at(path), message: error.message ?? 'does not match any of the allowed forms' };
    default:
      return { ...at(path), message: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

/**
 * The allowed key nearest to `key`. Among equally near ones: the one reached
 * with fewer swaps of neighbouring letters counted as one edit (`head_rve` is
 * `head_rev` mistyped rather than `head_ref`), then the one sharing the
 * longest start with it.
 */
export function nearestKey(key: string, allowed: readonly string[]): string {
  const byDistance = allowed.map((candidate) => ({ candidate, d: distance(key, candidate) }));
  const least = Math.min(...byDistance.map((c) => c.d));
  const nearest = byDistance
    .filter((c) => c.d === least)
    .map(({ candidate }) => ({ candidate, swaps: swapDistance(key, candidate), prefix: commonStart(key, candidate) }));
  let best = nearest[0]!;
  for (const c of nearest) if (c.swaps < best.swaps || (c.swaps === best.swaps && c.prefix > best.prefix)) best = c;
  return best.candidate;
}

function commonStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** Edit distance where swapping two neighbouring letters is one edit (optimal string alignment). */
function swapDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Close enough to be a typo: a few letters off, or one is the other with a part left out. */
export function isNear(key: string, candidate: string): boolean {
  if (distance(key, candidate) <= Math.max(2, Math.floor(Math.min(key.length, candidate.length) * 0.4))) return true;
  return key.length >= 3 && (candidate.startsWith(key) || key.startsWith(candidate));
}

function keyExpectation(schema: unknown): string | undefined {
  const s = schema as { pattern?: string; not?: { enum?: unknown[] } } | undefined;
  if (s?.pattern) return `a key matching /${s.pattern}/`;
  if (s?.not?.enum) return `any key except ${s.not.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  return undefined;
}

/** ajv's instancePath as a YamlPath: list indexes as numbers. */
function yamlPath(root: unknown, pointer: string): (string | number)[] {
  const path: (string | number)[] = [];
  let current = root;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(current)) {
      path.push(Number(segment));
      current = current[Number(segment)];
    } else {
      path.push(segment);
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null (nothing)',
};

function typeNames(types: string[]): string {
  const names = [...new Set(types.map((t) => TYPE_NAMES[t] ?? t))];
  return names.length <= 1 ? (names[0] ?? 'another type') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'a map';
    default:
      return typeof value;
  }
}
