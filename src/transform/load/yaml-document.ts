// YAML with positions. Values come from the `yaml` package's document model;
// positions are only computed when locate() is asked (rarely: for messages), by
// walking the kept Document, so that a large tree loads at plain-parse speed.
import { readFileSync } from 'node:fs';
import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import { DiagnosticsError, type Diagnostic, type Location, type YamlPath } from '../diagnostics.js';
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

export function parseYamlText(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // merge: taskgraph reads YAML with PyYAML, which honours `<<: *anchor`.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, keepSourceTokens: false });
  const position = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
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
    throw new DiagnosticsError([
      { severity: 'error', message: `invalid YAML: ${(error as Error).message}`, location: position(0) },
    ]);
  }
  const source: KeyedSourceMap = {
    locate: (path) => locateIn(doc, path, false, position) ?? position(0),
    locateKey: (path) => locateIn(doc, path, true, position) ?? position(0),
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
  for (let guard = 0; isAlias(current) && guard < 100; guard++) current = current.resolve(doc);
  return current;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  // A merge key's value is a symbol whose description is `<<`.
  if (isScalar(key)) return typeof key.value === 'symbol' ? key.value.description : String(key.value);
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
    const maps = isSeq(sources) ? sources.items.map((item) => deref(doc, item)) : [sources];
    for (const map of maps) {
      if (!isMap(map)) continue;
      const found = findPair(doc, map.items as Pair[], key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
