// YAML with positions. Positions are only computed when locate() is asked
// (rarely: for messages), so that a large tree loads at plain-parse speed.
import { readFileSync } from 'node:fs';
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, type Type } from 'js-yaml';
import type { Document, Node, Pair } from 'yaml';
import { DiagnosticsError, type Diagnostic, type Location, type YamlPath } from '../diagnostics.js';
import { yamlPackage } from '../lazy-packages.js';
import type { SourceMap } from '../model.js';
import type { KeyedSourceMap } from './source-map.js';

export interface ParsedYaml {
  value: unknown;
  source: SourceMap;
}

export function parseYamlFile(file: string): ParsedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DiagnosticsError([{ severity: 'error', message: `cannot read ${file}: ${reason}` }]);
  }
  return parseYamlText(text, file);
}

// Values come from js-yaml, which is several times faster than building the
// `yaml` package's Document; that Document (with its node ranges) is built only
// when a position is asked for, and for any input js-yaml refuses, so that
// syntax errors are worded and located by `yaml`. js-yaml 4, not 5: version 5
// parses to events and then constructs values, three times slower on a tree
// of 10,000 tasks (0.4 s against 1.5 s of CPU in a fresh process).
// `<<` merge keys, as PyYAML honours them; @types/js-yaml leaves out the
// `types` export that holds this tag.
const mergeType = (jsYaml as unknown as { types: { merge: Type } }).types.merge;
const FAST_SCHEMA = CORE_SCHEMA.extend({ implicit: [mergeType] });

export function parseYamlText(text: string, file: string): ParsedYaml {
  let value: unknown;
  try {
    value = load(text, { schema: FAST_SCHEMA, filename: file });
  } catch {
    return parseWithPositions(text, file);
  }
  // An empty document: js-yaml 4 gives undefined where `yaml` (which decides) gives null.
  if (value === undefined) return parseWithPositions(text, file);
  let positions: DocumentPositions | undefined;
  const get = (): DocumentPositions => (positions ??= documentPositions(text, file));
  const source: KeyedSourceMap = {
    locate: (path) => get().locate(path, false),
    locateKey: (path) => get().locate(path, true),
  };
  return { value, source };
}

interface DocumentPositions {
  doc: Document;
  position(offset: number): Location;
  locate(path: YamlPath, wantKey: boolean): Location;
}

function documentPositions(text: string, file: string): DocumentPositions {
  const { LineCounter, parseDocument } = yamlPackage();
  const lineCounter = new LineCounter();
  // merge: taskgraph reads YAML with PyYAML, which honours `<<: *anchor`.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const position = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return { doc, position, locate: (path, wantKey) => locateIn(doc, path, wantKey, position) ?? position(0) };
}

/** The slow path: the `yaml` package decides, and words the errors. */
function parseWithPositions(text: string, file: string): ParsedYaml {
  const positions = documentPositions(text, file);
  const { doc, position } = positions;
  if (doc.errors.length > 0) {
    // One mistake often makes the parser complain several times on the same
    // line; the first complaint is the one that names it.
    const diagnostics: Diagnostic[] = [];
    const lines = new Set<number>();
    for (const error of doc.errors) {
      const location = position(error.pos[0]);
      if (lines.has(location.line)) continue;
      lines.add(location.line);
      diagnostics.push({ severity: 'error', message: `YAML syntax error: ${error.message}`, location, hint: syntaxHint(error.code) });
    }
    throw new DiagnosticsError(diagnostics);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    throw new DiagnosticsError([{ severity: 'error', message: `invalid YAML: ${(error as Error).message}`, location: position(0) }]);
  }
  // js-yaml refused what `yaml` accepts (an empty document, say): `yaml` decides.
  const source: KeyedSourceMap = {
    locate: (path) => positions.locate(path, false),
    locateKey: (path) => positions.locate(path, true),
  };
  return { value, source };
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
  // A merge key's value is a symbol whose description is `<<`.
  if (yamlPackage().isScalar(key)) return typeof key.value === 'symbol' ? key.value.description : String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
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
