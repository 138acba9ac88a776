// Values from a `yaml` package Document, read as PyYAML reads them: the slow
// path of the loader, taken when js-yaml refuses a file (a key written twice,
// a syntax error) or when a value needs a located warning. The Document is
// parsed with the failsafe schema (every scalar a string) and each scalar is
// resolved here with yaml11-scalars.ts, exactly as the fast path resolves it.
import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Diagnostic, Location } from '../diagnostics.js';
import { yamlPackage } from '../lazy-packages.js';
import { isYamlBool, isYamlFloat, isYamlInt, isYamlNull, resolvePlain, yamlBool, yamlFloat, yamlInt } from './yaml11-scalars.js';

const TAG = 'tag:yaml.org,2002:';

export function parseYamlDocument(text: string, lineCounter: import('yaml').LineCounter): Document {
  // failsafe: scalars stay text, resolved below; uniqueKeys off: a key written
  // twice is a warning (PyYAML keeps the last), not a syntax error.
  return yamlPackage().parseDocument(text, { lineCounter, prettyErrors: false, schema: 'failsafe', uniqueKeys: false, version: '1.1' });
}

/** The text of a map key as the JSON output will have it (`on` → "true", `0x1F` → "31"). */
export function keyString(key: unknown): string {
  const { isScalar } = yamlPackage();
  if (!isScalar(key)) return String(key);
  const value = scalarValue(key);
  return value.ok ? String(value.value) : String(key.value);
}

type ScalarResult = { ok: true; value: unknown; warning?: string } | { ok: false; error: string };

function scalarValue(node: Scalar): ScalarResult {
  const text = String(node.value ?? '');
  const tag = node.tag;
  if (!tag || tag === '?') {
    if (node.type !== 'PLAIN') return { ok: true, value: text };
    const resolved = resolvePlain(text);
    if (resolved.kind === 'merge') return { ok: true, value: '<<' };
    if (resolved.kind === 'timestamp') {
      return {
        ok: true,
        value: text,
        warning: `"${text}" is a YAML 1.1 timestamp: taskgraph (PyYAML) reads it as a date and then cannot write it as JSON; tc-payload keeps it as the string "${text}" (quote it to say so)`,
      };
    }
    if (typeof resolved.value === 'number' && !Number.isFinite(resolved.value)) {
      return { ok: true, value: resolved.value, warning: `"${text}" is a float that JSON cannot hold; it is written as null` };
    }
    return { ok: true, value: resolved.value };
  }
  switch (tag) {
    case '!':
    case `${TAG}str`:
      return { ok: true, value: text };
    case `${TAG}null`:
      return isYamlNull(text) ? { ok: true, value: null } : { ok: false, error: `"${text}" is not a YAML null (~, null or nothing)` };
    case `${TAG}bool`:
      return isYamlBool(text) ? { ok: true, value: yamlBool(text) } : { ok: false, error: `"${text}" is not a YAML 1.1 boolean (true/false, yes/no, on/off)` };
    case `${TAG}int`: {
      const value = isYamlInt(text) ? yamlInt(text) : Number(text.replace(/_/g, ''));
      return Number.isInteger(value) ? { ok: true, value } : { ok: false, error: `"${text}" is not an integer` };
    }
    case `${TAG}float`: {
      const value = isYamlFloat(text) ? yamlFloat(text) : Number(text.replace(/_/g, ''));
      return Number.isNaN(value) && !/nan/i.test(text) ? { ok: false, error: `"${text}" is not a number` } : { ok: true, value };
    }
    default:
      return { ok: false, error: `the tag ${tag} is not supported` };
  }
}

export interface ValueOptions {
  position(offset: number): Location;
  /** Deeper than this is refused (the runaway recursion of a hostile file). */
  maxDepth: number;
}

interface Context extends ValueOptions {
  doc: Document;
  diagnostics: Diagnostic[];
  /** Each anchored node's value, built once: aliases share it, as in js-yaml and PyYAML. */
  built: Map<Node, unknown>;
  building: Set<Node>;
}

/** The document's value; problems (errors and warnings) go to `diagnostics`. */
export function documentValue(doc: Document, diagnostics: Diagnostic[], options: ValueOptions): unknown {
  const context: Context = { ...options, doc, diagnostics, built: new Map(), building: new Set() };
  return nodeValue(doc.contents, context, 0);
}

const TOO_DEEP = Symbol('too deep');

function where(node: unknown, context: Context): Location {
  const range = (node as Node | null | undefined)?.range;
  return context.position(range ? range[0] : 0);
}

function nodeValue(node: unknown, context: Context, depth: number): unknown {
  const { isAlias, isMap, isScalar, isSeq } = yamlPackage();
  if (node === null || node === undefined) return null;
  if (depth > context.maxDepth) throw Object.assign(new Error('too deep'), { [TOO_DEEP]: where(node, context) });
  if (isAlias(node)) {
    const target = node.resolve(context.doc);
    if (!target) {
      context.diagnostics.push({ severity: 'error', message: `alias *${node.source} names no anchor defined before it`, location: where(node, context) });
      return null;
    }
    if (context.building.has(target)) {
      context.diagnostics.push({ severity: 'error', message: `alias *${node.source} refers to a node that contains it`, location: where(node, context) });
      return null;
    }
    return context.built.has(target) ? context.built.get(target) : nodeValue(target, context, depth);
  }
  if (isScalar(node)) {
    const result = scalarValue(node);
    if (!result.ok) {
      context.diagnostics.push({ severity: 'error', message: result.error, location: where(node, context) });
      return null;
    }
    if (result.warning) context.diagnostics.push({ severity: 'warning', message: result.warning, location: where(node, context) });
    return result.value;
  }
  context.building.add(node as Node);
  let value: unknown;
  if (isSeq(node)) value = (node as YAMLSeq).items.map((item) => nodeValue(item, context, depth + 1));
  else if (isMap(node)) value = mapValue(node as YAMLMap, context, depth);
  else value = null;
  context.building.delete(node as Node);
  if ((node as Node).anchor) context.built.set(node as Node, value);
  return value;
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // A key "__proto__" is data, not the object's prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function mapValue(map: YAMLMap, context: Context, depth: number): Record<string, unknown> {
  const { isMap, isScalar, isSeq, isAlias } = yamlPackage();
  const out: Record<string, unknown> = {};
  const written = new Map<string, Pair>();
  // One entry per `<<` key: PyYAML lets a later `<<` key win over an earlier
  // one, and within one `<<: [*a, *b]` the first map win.
  const merged: Record<string, unknown>[][] = [];
  for (const pair of map.items as Pair[]) {
    const key = pair.key;
    if (isScalar(key) && key.type === 'PLAIN' && !key.tag && key.value === '<<') {
      // `<<: *a` or `<<: [*a, *b]`: PyYAML's merge; the first source of a key wins.
      const source = pair.value;
      const sources = isSeq(source) ? (source as YAMLSeq).items : [source];
      const group: Record<string, unknown>[] = [];
      merged.push(group);
      for (const item of sources) {
        const value = nodeValue(item, context, depth + 1);
        const target = isAlias(item) ? item.resolve(context.doc) : item;
        if (value !== null && typeof value === 'object' && !Array.isArray(value) && isMap(target)) group.push(value as Record<string, unknown>);
        else context.diagnostics.push({ severity: 'error', message: 'a merge key (<<) takes a map or a list of maps', location: where(item, context) });
      }
      continue;
    }
    if (key !== null && typeof key === 'object' && !isScalar(key) && !isAlias(key)) {
      context.diagnostics.push({ severity: 'error', message: 'a map key must be a scalar, not a list or a map', location: where(key, context) });
      continue;
    }
    const name = isAlias(key) ? String(nodeValue(key, context, depth + 1)) : isScalar(key) ? keyString(key) : 'null';
    const earlier = written.get(name);
    if (earlier) {
      const first = where(earlier.key, context);
      context.diagnostics.push({
        severity: 'warning',
        message: `key "${name}" is written twice in this map (first at line ${first.line}, column ${first.column}); the last one is used, as taskgraph does`,
        location: where(key, context),
        hint: 'remove one of the two entries',
      });
    }
    written.set(name, pair);
    setKey(out, name, nodeValue(pair.value, context, depth + 1));
  }
  for (const group of merged.reverse()) {
    for (const source of group) {
      for (const [key, value] of Object.entries(source)) if (!Object.hasOwn(out, key)) setKey(out, key, value);
    }
  }
  return out;
}

export function tooDeepLocation(error: unknown): Location | undefined {
  return (error as { [TOO_DEEP]?: Location } | null)?.[TOO_DEEP];
}
