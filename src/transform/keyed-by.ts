// keyed-by values, taskgraph's way of writing "this depends on X":
//
//   max-run-time:
//     by-level:
//       '3': 3600
//       default: 1800
//
// The chosen alternative is: the key equal to the attribute's value; else the
// one key that matches it as a whole regular expression (several is an error,
// as in taskgraph); else `default`. Alternatives may be keyed-by again.
import type { Diagnostic, YamlPath } from './diagnostics.js';
import type { SourceMap } from './model.js';
import { isKeyedBy } from './load/merge.js';
import { locateKey, type KeyedSourceMap } from './load/source-map.js';
import { isRecord } from './plain-data.js';

/** Attribute name → value, e.g. `{ level: '3', project: 'x', 'tasks-for': 'github-push', kind: 'build' }`. */
export interface KeyedByContext {
  [attribute: string]: unknown;
}

export interface KeyedByResult {
  value: Record<string, unknown>;
  /** Positions for the resolved shape: a path into `value` locates the chosen alternative in the YAML. */
  source: SourceMap;
  diagnostics: Diagnostic[];
}

const FAILED = Symbol('unresolved keyed-by');

/** Resolves every `{by-<attribute>: {...}}` anywhere inside `value`. `value` itself is not modified. */
export function resolveKeyedBy(value: Record<string, unknown>, source: SourceMap, context: KeyedByContext): KeyedByResult {
  const choices = new WeakMap<object, string>();
  const diagnostics: Diagnostic[] = [];
  const path: (string | number)[] = [];

  const fail = (diagnostic: Omit<Diagnostic, 'severity' | 'location' | 'path'>, byKey: string): typeof FAILED => {
    const where = [...path];
    diagnostics.push({ severity: 'error', path: where, location: locateKey(source, [...where, byKey]), ...diagnostic });
    return FAILED;
  };

  const resolve = (node: unknown): unknown => {
    let pushed = 0;
    try {
      while (isKeyedBy(node)) {
        const byMap = node as Record<string, unknown>;
        const byKey = Object.keys(byMap)[0]!;
        const attribute = byKey.slice(3);
        const alternatives = byMap[byKey];
        if (!isRecord(alternatives)) {
          return fail({ message: `"${byKey}" must map values of "${attribute}" to choices`, expected: 'a map' }, byKey);
        }
        const keys = Object.keys(alternatives);
        if (keys.length === 1 && keys[0] === 'default') {
          // taskgraph refuses this too: it is almost always a mistake in the keys.
          return fail({ message: `"${byKey}" has only a "default" alternative; write the value directly instead` }, byKey);
        }
        const chosen = choose(byKey, attribute, keys, lookup(context, attribute), fail);
        if (chosen === FAILED) return FAILED;
        choices.set(byMap, chosen);
        path.push(byKey, chosen);
        pushed += 2;
        node = alternatives[chosen];
      }
      return resolveChildren(node);
    } finally {
      path.length -= pushed;
    }
  };

  const resolveChildren = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const item = resolve(node[i]);
        path.pop();
        if (item !== node[i]) {
          copy ??= node.slice();
          copy[i] = item === FAILED ? null : item;
        }
      }
      return copy ?? node;
    }
    if (isRecord(node)) {
      let copy: Record<string, unknown> | undefined;
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue;
        path.push(key);
        const item = resolve(node[key]);
        path.pop();
        if (item !== node[key]) {
          copy ??= { ...node };
          if (item === FAILED) delete copy[key];
          else copy[key] = item;
        }
      }
      return copy ?? node;
    }
    return node;
  };

  const resolved = resolve(value);
  const result = (resolved === FAILED ? {} : resolved) as Record<string, unknown>;
  return { value: result, source: resolvedSource(value, source, choices), diagnostics };
}

function lookup(context: KeyedByContext, attribute: string): unknown {
  const direct = context[attribute];
  if (direct !== undefined) return direct;
  // Asked only when it differs: a plugin's keyed-by value is computed on each lookup.
  const underscored = attribute.replace(/-/g, '_');
  return underscored === attribute ? undefined : context[underscored];
}

function choose(
  byKey: string,
  attribute: string,
  keys: string[],
  attributeValue: unknown,
  fail: (d: Omit<Diagnostic, 'severity' | 'location' | 'path'>, byKey: string) => typeof FAILED,
): string | typeof FAILED {
  const offered = `the keys offered: ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (attributeValue === undefined || attributeValue === null) {
    if (keys.includes('default')) return 'default';
    return fail(
      { message: `cannot resolve "${byKey}": this task has no attribute "${attribute}" and there is no "default"`, expected: offered },
      byKey,
    );
  }
  const target = typeof attributeValue === 'string' ? attributeValue : JSON.stringify(attributeValue);
  const match = matchKey(keys, target);
  if (match.kind === 'several') {
    return fail(
      {
        message: `cannot resolve "${byKey}": ${attribute} "${target}" matches several keys: ${match.keys.map((k) => JSON.stringify(k)).join(', ')}`,
        hint: 'make the regular expressions exclusive, or add an exact key',
      },
      byKey,
    );
  }
  if (match.kind === 'none') {
    return fail(
      {
        message: `cannot resolve "${byKey}": ${attribute} is "${target}", which matches none of the keys, and there is no "default"`,
        expected: offered,
        hint: `add a "default" alternative or a key for "${target}"`,
      },
      byKey,
    );
  }
  return match.key;
}

type Match = { kind: 'one'; key: string } | { kind: 'several'; keys: string[] } | { kind: 'none' };

export function matchKey(keys: readonly string[], target: string): Match {
  if (keys.includes(target)) return { kind: 'one', key: target };
  const matching = keys.filter((key) => key !== 'default' && fullRegex(key)?.test(target));
  if (matching.length === 1) return { kind: 'one', key: matching[0]! };
  if (matching.length > 1) return { kind: 'several', keys: matching };
  if (keys.includes('default')) return { kind: 'one', key: 'default' };
  return { kind: 'none' };
}

const regexCache = new Map<string, RegExp | null>();

/** The key as a whole-string regular expression, or null when it is not a valid one (then it is only an exact key). */
function fullRegex(key: string): RegExp | null {
  let regex = regexCache.get(key);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${key})$`);
    } catch {
      regex = null;
    }
    regexCache.set(key, regex);
  }
  return regex;
}

/** Positions for the resolved value: each path is followed through the original, taking the recorded choices. */
function resolvedSource(original: unknown, source: SourceMap, choices: WeakMap<object, string>): SourceMap {
  const toOriginal = (path: YamlPath): (string | number)[] => {
    const out: (string | number)[] = [];
    let node: unknown = original;
    const unwrap = (): void => {
      while (isRecord(node) && choices.has(node)) {
        const byKey = Object.keys(node)[0]!;
        const chosen = choices.get(node)!;
        out.push(byKey, chosen);
        node = (node[byKey] as Record<string, unknown>)[chosen];
      }
    };
    unwrap();
    for (const segment of path) {
      out.push(segment);
      node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
      unwrap();
    }
    return out;
  };
  const mapped: KeyedSourceMap = {
    locate: (path) => source.locate(toOriginal(path)),
    locateKey: (path) => locateKey(source, toOriginal(path)),
  };
  return mapped;
}
