// YAML with positions. Positions are only computed when locate() is asked
// (rarely: for messages), so that a large tree loads at plain-parse speed.
import * as jsYaml from 'js-yaml';
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import type { Document, Node, Pair } from 'yaml';
import { DiagnosticsError, isError, type Diagnostic, type Location, type YamlPath } from '../diagnostics.js';
import { yamlPackage } from '../lazy-packages.js';
import type { SourceMap } from '../model.js';
import { limits, LIMIT_OPTIONS } from './limits.js';
import { readInputFile } from './read-input-file.js';
import type { KeyedSourceMap } from './source-map.js';
import { isYamlBool, isYamlFloat, isYamlInt, isYamlNull, isYamlTimestamp, plainValue, TEXT, yamlBool, yamlFloat, yamlInt } from './yaml11-scalars.js';
import { documentValue, keyString, parseYamlDocument, tooDeepLocation } from './yaml-values.js';

export interface ParsedYaml {
  value: unknown;
  source: SourceMap;
  /** Located warnings: a key written twice, a timestamp kept as text, ... */
  warnings: Diagnostic[];
}

export function parseYamlFile(file: string): ParsedYaml {
  return parseYamlText(readInputFile(file), file);
}

// Values come from js-yaml, which is several times faster than building the
// `yaml` package's Document; that Document (with its node ranges) is built only
// when a position is asked for, for any input js-yaml refuses (so that syntax
// errors are worded and located by `yaml`), and when a value needs a located
// warning. js-yaml 4, not 5: version 5 parses to events and then constructs
// values, three times slower on a tree of 10,000 tasks (0.4 s against 1.5 s of
// CPU in a fresh process).
//
// The schema is YAML 1.1 as PyYAML reads it (yaml11-scalars.ts), since that is
// how taskgraph reads the same files. A key written twice makes js-yaml throw,
// which sends the file to the slow path, where it is a located warning.

/** Set by the constructors of values that need a located warning (the slow path finds where). */
let needsWarnings = false;

const scalarType = (tag: string, resolve: (text: string) => boolean, construct: (text: string) => unknown): Type =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (text: string | null) => resolve(text ?? ''), construct: (text: string | null) => construct(text ?? '') });

// `<<` merge keys, as PyYAML honours them; @types/js-yaml leaves out the
// `types` export that holds this tag.
const mergeType = (jsYaml as unknown as { types: { merge: Type } }).types.merge;
// One implicit type settles every plain scalar (plainValue() decides, once per
// scalar; construct() hands over what resolve() found), rather than one type
// per tag each testing the scalar in turn. The per-tag types serve explicit
// tags (`!!int 0755`). Merge keys keep js-yaml's own type, which js-yaml
// recognizes by its tag.
let resolved: unknown;
const plainType = new Type('tag:yaml.org,2002:yaml-1.1-plain', {
  kind: 'scalar',
  resolve: (text: string | null) => {
    if (text === null) return false;
    const value = plainValue(text);
    if (value === TEXT) {
      if (isYamlTimestamp(text)) needsWarnings = true;
      return false;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) needsWarnings = true;
    resolved = value;
    return true;
  },
  construct: () => resolved,
});
const FAST_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [plainType, mergeType],
  explicit: [
    scalarType('null', isYamlNull, () => null),
    scalarType('bool', isYamlBool, yamlBool),
    scalarType('int', isYamlInt, yamlInt),
    scalarType('float', isYamlFloat, yamlFloat),
    scalarType('timestamp', isYamlTimestamp, (text) => {
      needsWarnings = true;
      return text;
    }),
  ],
});

export function parseYamlText(text: string, file: string): ParsedYaml {
  let value: unknown;
  needsWarnings = false;
  try {
    value = load(text, { schema: FAST_SCHEMA, filename: file });
  } catch {
    return parseWithPositions(text, file);
  }
  // An empty document: js-yaml 4 gives undefined where `yaml` (which decides) gives null.
  if (value === undefined || needsWarnings || repeatedMergeKey(text)) return parseWithPositions(text, file);
  const problem = checkSize(value, text);
  if (problem) return parseWithPositions(text, file);
  let positions: DocumentPositions | undefined;
  const get = (): DocumentPositions => (positions ??= documentPositions(text, file));
  const source: KeyedSourceMap = {
    locate: (path) => get().locate(path, false),
    locateKey: (path) => get().locate(path, true),
  };
  return { value, source, warnings: [] };
}

/**
 * Whether one map may have two `<<` keys: js-yaml lets the first win, PyYAML
 * the last, so such a file takes the slow path, which does as PyYAML does.
 * Two `<<` keys at one indentation with nothing less indented between them
 * (or two on one line, in a flow map) are taken for one map.
 */
function repeatedMergeKey(text: string): boolean {
  const first = text.indexOf('<<');
  if (first === -1 || first === text.lastIndexOf('<<')) return false;
  const open: number[] = []; // indentations of the `<<` keys of the maps still open
  for (const line of text.split('\n')) {
    const indent = line.search(/\S/);
    if (indent === -1 || line[indent] === '#') continue;
    while (open.length && open[open.length - 1]! > indent) open.pop();
    if (/<<\s*:.*<<\s*:/.test(line)) return true;
    const merge = /^(\s*(?:-\s+)*)<<\s*:/.exec(line);
    if (!merge) continue;
    const at = merge[1]!.length;
    if (open[open.length - 1] === at) return true;
    open.push(at);
  }
  return false;
}

/**
 * Whether the value (aliases expanded) is deeper, bigger or uses more aliases
 * than the limits allow. js-yaml shares one object between an anchor and its
 * aliases, so a 600-byte alias bomb parses quickly; it is the later stages,
 * copying and writing each use, that would explode. Shared objects are
 * measured once (a map from object to size), so this stays linear in the text.
 */
function checkSize(value: unknown, text: string): string | undefined {
  const { maxYamlDepth, maxYamlNodes, maxYamlAliases } = limits();
  const shared = text.includes('*') ? new Map<object, number>() : undefined;
  let aliases = 0;
  const measure = (node: unknown, depth: number): number => {
    if (node === null || typeof node !== 'object') return 1;
    if (depth > maxYamlDepth) throw new LimitExceeded('depth');
    const known = shared?.get(node);
    if (known !== undefined) {
      if (++aliases > maxYamlAliases) throw new LimitExceeded('aliases');
      return known;
    }
    let size = 1;
    if (Array.isArray(node)) for (const item of node) size += measure(item, depth + 1);
    else for (const key in node) size += measure((node as Record<string, unknown>)[key], depth + 1);
    if (size > maxYamlNodes) throw new LimitExceeded('nodes');
    shared?.set(node, size);
    return size;
  };
  try {
    measure(value, 0);
    return undefined;
  } catch (error) {
    if (error instanceof LimitExceeded) return error.limit;
    throw error;
  }
}

class LimitExceeded extends Error {
  constructor(readonly limit: 'depth' | 'nodes' | 'aliases') {
    super(limit);
  }
}

interface DocumentPositions {
  doc: Document;
  position(offset: number): Location;
  locate(path: YamlPath, wantKey: boolean): Location;
}

function documentPositions(text: string, file: string): DocumentPositions {
  const { LineCounter } = yamlPackage();
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, lineCounter);
  const position = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return { doc, position, locate: (path, wantKey) => locateIn(doc, path, wantKey, position) ?? position(0) };
}

/** The slow path: the `yaml` package parses, and words the errors; yaml-values.ts gives the values. */
function parseWithPositions(text: string, file: string): ParsedYaml {
  let positions: DocumentPositions;
  try {
    positions = documentPositions(text, file);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // The parser's own recursion ran out of stack: only a very deep document does that.
    throw new DiagnosticsError([tooDeep({ file, line: 1, column: 1 })]);
  }
  const { doc, position } = positions;
  if (doc.errors.length > 0) {
    // One mistake often makes the parser complain several times on the same
    // line; the first complaint is the one that names it.
    const diagnostics: Diagnostic[] = [];
    const lines = new Set<number>();
    for (const error of doc.errors) {
      const location = position(error.pos[0]);
      // The parser ran out of stack (it reports that as a syntax error): the nesting is too deep.
      if (/call stack/i.test(error.message)) throw new DiagnosticsError([tooDeep(location)]);
      if (lines.has(location.line)) continue;
      lines.add(location.line);
      diagnostics.push({ severity: 'error', message: `YAML syntax error: ${error.message}`, location, hint: syntaxHint(error.code) });
    }
    throw new DiagnosticsError(diagnostics);
  }
  const diagnostics: Diagnostic[] = [];
  let value: unknown;
  try {
    value = documentValue(doc, diagnostics, { position, maxDepth: limits().maxYamlDepth });
  } catch (error) {
    const location = tooDeepLocation(error);
    if (location) throw new DiagnosticsError([tooDeep(location)]);
    throw error;
  }
  if (diagnostics.some(isError)) throw new DiagnosticsError(diagnostics);
  const exceeded = checkSize(value, text);
  if (exceeded === 'depth') throw new DiagnosticsError([tooDeep(position(0))]);
  if (exceeded) {
    const { maxYamlNodes, maxYamlAliases } = limits();
    const alias = firstAlias(doc, position);
    const message =
      exceeded === 'aliases'
        ? `this document uses aliases more than ${maxYamlAliases} times (the limit)`
        : alias
          ? `this document expands to more than ${maxYamlNodes} values once its aliases are expanded (the limit)`
          : `this document holds more than ${maxYamlNodes} values (the limit)`;
    const option = exceeded === 'nodes' ? LIMIT_OPTIONS.maxYamlNodes : LIMIT_OPTIONS.maxYamlAliases;
    throw new DiagnosticsError([{ severity: 'error', message, location: alias ?? position(0), hint: `raise it with ${option} if this is meant` }]);
  }
  const source: KeyedSourceMap = {
    locate: (path) => positions.locate(path, false),
    locateKey: (path) => positions.locate(path, true),
  };
  return { value, source, warnings: diagnostics };
}

function tooDeep(location: Location): Diagnostic {
  return {
    severity: 'error',
    message: `this document is nested more than ${limits().maxYamlDepth} levels deep (the limit)`,
    location,
    hint: `raise it with ${LIMIT_OPTIONS.maxYamlDepth} if this is meant`,
  };
}

function firstAlias(doc: Document, position: (offset: number) => Location): Location | undefined {
  let offset: number | undefined;
  yamlPackage().visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return yamlPackage().visit.BREAK;
    },
  });
  return offset === undefined ? undefined : position(offset);
}

function syntaxHint(code: string): string | undefined {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'DUPLICATE_KEY':
      return 'remove or rename one of the two entries';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the quoting on this line';
    default:
      return undefined;
  }
}

/**
 * The position of the node at `path` (or of its key, with `wantKey`), or of the
 * deepest ancestor that exists.
 */
function locateIn(
  doc: Document,
  path: YamlPath,
  wantKey: boolean,
  position: (offset: number) => Location,
): Location | undefined {
  const { isMap, isSeq } = yamlPackage();
  let node: unknown = doc.contents;
  let best: number | undefined = offsetOf(node);
  for (let i = 0; i < path.length; i++) {
    node = deref(doc, node);
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = findPair(doc, node.items as Pair[], String(segment));
      if (!pair) return offsetToLocation(best, position);
      const keyOffset = offsetOf(pair.key);
      const valueOffset = offsetOf(pair.value);
      if (last && wantKey && keyOffset !== undefined) return position(keyOffset);
      best = valueOffset ?? keyOffset ?? best;
      if (valueOffset === undefined) return offsetToLocation(best, position);
      node = pair.value;
    } else if (isSeq(node)) {
      const index = typeof segment === 'number' ? segment : Number(segment);
      const item: unknown = Number.isInteger(index) ? node.items[index] : undefined;
      const itemOffset = offsetOf(item);
      if (itemOffset === undefined) return offsetToLocation(best, position);
      best = itemOffset;
      node = item;
    } else {
      return offsetToLocation(best, position);
    }
  }
  return offsetToLocation(best, position);
}

function offsetToLocation(offset: number | undefined, position: (offset: number) => Location): Location | undefined {
  return offset === undefined ? undefined : position(offset);
}

function deref(doc: Document, node: unknown): unknown {
  let current = node;
  const { isAlias } = yamlPackage();
  for (let guard = 0; isAlias(current) && guard < 100; guard++) current = current.resolve(doc);
  return current;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  if (key === null || key === undefined) return undefined;
  return keyString(key);
}

/** The entry for `key`, also looking through `<<` merge keys (nearest first, like YAML merge). */
function findPair(doc: Document, items: Pair[], key: string, depth = 0): Pair | undefined {
  for (const pair of items) if (keyText(pair.key) === key) return pair;
  if (depth > 20) return undefined;
  for (const pair of items) {
    if (keyText(pair.key) !== '<<') continue;
    const sources = deref(doc, pair.value);
    const maps = yamlPackage().isSeq(sources) ? sources.items.map((item) => deref(doc, item)) : [sources];
    for (const map of maps) {
      if (!yamlPackage().isMap(map)) continue;
      const found = findPair(doc, map.items as Pair[], key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
