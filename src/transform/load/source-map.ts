// Small SourceMap combinators. The loader and keyed-by build SourceMaps out of
// these so that a position is only computed when a message needs one.
import type { Location, YamlPath } from '../diagnostics.js';
import type { SourceMap } from '../model.js';

/**
 * A SourceMap that can also point at the key of a map entry, which is where
 * an "unknown key" message belongs (the value may be lines further down).
 */
export interface KeyedSourceMap extends SourceMap {
  locateKey(path: YamlPath): Location | undefined;
}

export function hasLocateKey(source: SourceMap): source is KeyedSourceMap {
  return typeof (source as Partial<KeyedSourceMap>).locateKey === 'function';
}

/** Where the key of the entry at `path` is written, or else where its value is. */
export function locateKey(source: SourceMap, path: YamlPath): Location | undefined {
  return hasLocateKey(source) ? source.locateKey(path) : source.locate(path);
}

/** `locate(p)` = `source.locate([...prefix, ...p])`. */
export function subSource(source: SourceMap, prefix: YamlPath): SourceMap {
  if (prefix.length === 0) return source;
  const sub: KeyedSourceMap = {
    locate: (path) => source.locate([...prefix, ...path]),
    locateKey: (path) => locateKey(source, [...prefix, ...path]),
  };
  return sub;
}

/** Everything located at `file:1:1`: for values generated rather than written. */
export function fileSource(file: string): SourceMap {
  const location: Location = { file, line: 1, column: 1 };
  return { locate: () => location };
}
