// Task references, as taskgraph writes them in a generated task before task
// ids exist:
//
//   {"task-reference": "... <name> ..."}      every <name> becomes a task id:
//                                            a key of the task's `dependencies`
//                                            (name → label), `self` or `decision`
//   {"artifact-reference": "<name/path>"}     the queue URL of artifact `path`
//                                            of that task
//
// A reference is an object with exactly that one key and a string value, and
// may appear as any value anywhere in the task definition. As in taskgraph, a
// marker is `<` up to the next `>`, and `<<>` stands for a literal `<` in a
// task reference; `{"task-reference": {…}}` (an object) is that object with the
// markers in its keys resolved.
//
// Object KEYS cannot hold such objects, yet some names that must contain a
// task id are keys: a docker-worker cache named after an in-tree image lives
// in `payload.cache` as `<prefix>-<docker-image>` → mount point (see
// DOCKER_IMAGE_REFERENCE in src/contract.ts). So every `<name>` marker in an
// object key, anywhere in the task definition, is a task reference too and is
// resolved like one. (Builders must not put `<` `>` in keys for any other
// purpose.) Strings that are not wrapped in a reference object are never
// touched: a scope naming such a cache must be written as
// `{"task-reference": "docker-worker:cache:…-<docker-image>"}`.
import type { YamlPath } from '../diagnostics.js';
import { isRecord } from '../plain-data.js';

export const TASK_REFERENCE = 'task-reference';
export const ARTIFACT_REFERENCE = 'artifact-reference';
export const SELF = 'self';
export const DECISION = 'decision';

const MARKER = /<([^>]+)>/g;
/** `<<>`: the escape for a literal `<`. */
const ESCAPED_LT = '<';

export type ReferenceKind = typeof TASK_REFERENCE | typeof ARTIFACT_REFERENCE;

/**
 * The reference `value` is, if it is one: `text` is its string, or undefined
 * for taskgraph's `{"task-reference": {…}}` form, an object whose keys hold markers.
 */
export function asReference(value: unknown): { kind: ReferenceKind; text: string | undefined } | undefined {
  if (!isRecord(value)) return undefined;
  // Runs on every object of every task: look at the first key before counting them all.
  let kind: string | undefined;
  for (const key in value) {
    if (kind !== undefined) return undefined;
    if (key !== TASK_REFERENCE && key !== ARTIFACT_REFERENCE) return undefined;
    kind = key;
  }
  if (kind === undefined || !Object.hasOwn(value, kind)) return undefined;
  const inner = value[kind];
  if (typeof inner === 'string') return { kind: kind as ReferenceKind, text: inner };
  if (kind === TASK_REFERENCE && isRecord(inner)) return { kind, text: undefined };
  return undefined;
}

/** How the markers of one task are replaced. `path` is where, inside the task definition. */
export interface MarkerResolver {
  /** `<name>` in a task-reference or in an object key. */
  task(name: string, path: YamlPath): string;
  /** `<name/path/to/artifact>` in an artifact-reference (`artifact` is undefined when there is no `/`). */
  artifact(name: string, artifact: string | undefined, path: YamlPath): string;
  /**
   * Given when the answers depend on the markers alone (not on the path or
   * the task): each text is then replaced once and remembered here, since
   * thousands of tasks hold the same few references.
   */
  memo?: Map<string, string>;
}

function replaceMarkers(text: string, each: (inner: string) => string): string {
  return text.replace(MARKER, (_whole, inner: string) => each(inner));
}

/**
 * `value` with every reference replaced by a string and every marker in an
 * object key substituted, as `resolver` says. `value` is not modified; parts
 * without references are shared with it rather than copied (this runs on
 * every task of a graph, twice), so callers must not modify the result's
 * nested values in place.
 */
export function substituteReferences(value: unknown, resolver: MarkerResolver, path: YamlPath = []): unknown {
  return substitute(value, resolver, path, []);
}

// `trail` is the path from `base` to `value`, pushed and popped on the way down
// (one array for the whole walk); a path is copied out of it only when a marker
// is reported. Most nodes are strings and numbers: they are passed over
// without a call or a push.
function substitute(value: object, resolver: MarkerResolver, base: YamlPath, trail: (string | number)[]): unknown;
function substitute(value: unknown, resolver: MarkerResolver, base: YamlPath, trail: (string | number)[]): unknown;
function substitute(value: unknown, resolver: MarkerResolver, base: YamlPath, trail: (string | number)[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      let resolved = item;
      if (typeof item === 'object' && item !== null) {
        trail.push(i);
        resolved = substitute(item, resolver, base, trail);
        trail.pop();
      }
      if (resolved !== item && !out) out = value.slice(0, i);
      if (out) out.push(resolved);
    }
    return out ?? value;
  }
  const reference = asReference(value);
  if (reference) return substituteReference(value as Record<string, unknown>, reference, resolver, base, trail);
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  let index = 0;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const item = source[key];
    let resolved = item;
    let newKey = key;
    const marked = key.includes('<');
    if (marked || (typeof item === 'object' && item !== null)) {
      trail.push(key);
      if (marked) newKey = cachedReplace(resolver, 'key', key, () => replaceTaskMarkers(key, resolver, base, trail));
      resolved = substitute(item, resolver, base, trail);
      trail.pop();
    }
    if (!out && (newKey !== key || resolved !== item)) {
      // First change: copy the entries before this one.
      out = {};
      let j = 0;
      for (const earlier in source) {
        if (j++ >= index) break;
        if (Object.hasOwn(source, earlier)) define(out, earlier, source[earlier]);
      }
    }
    if (out) define(out, newKey, resolved);
    index++;
  }
  return out ?? value;
}

function cachedReplace(resolver: MarkerResolver, what: string, text: string, replace: () => string): string {
  const memo = resolver.memo;
  if (!memo) return replace();
  const key = `${what}\0${text}`;
  let replaced = memo.get(key);
  if (replaced === undefined) memo.set(key, (replaced = replace()));
  return replaced;
}

/** Called while `trail` still leads to the text: replaceMarkers is synchronous. */
function replaceTaskMarkers(text: string, resolver: MarkerResolver, base: YamlPath, trail: (string | number)[]): string {
  return replaceMarkers(text, (name) => (name === ESCAPED_LT ? '<' : resolver.task(name, [...base, ...trail])));
}

function substituteReference(
  value: Record<string, unknown>,
  reference: { kind: ReferenceKind; text: string | undefined },
  resolver: MarkerResolver,
  base: YamlPath,
  trail: (string | number)[],
): unknown {
  trail.push(reference.kind);
  try {
    // `{"task-reference": {…}}`: the object itself, whose keys are resolved like every key.
    if (reference.text === undefined) return substitute(value[reference.kind], resolver, base, trail);
    const text = reference.text;
    if (reference.kind === TASK_REFERENCE) return cachedReplace(resolver, TASK_REFERENCE, text, () => replaceTaskMarkers(text, resolver, base, trail));
    return cachedReplace(resolver, ARTIFACT_REFERENCE, text, () =>
      replaceMarkers(text, (inner) => {
        const slash = inner.indexOf('/');
        const here = [...base, ...trail];
        return slash < 0 ? resolver.artifact(inner, undefined, here) : resolver.artifact(inner.slice(0, slash), inner.slice(slash + 1), here);
      }),
    );
  } finally {
    trail.pop();
  }
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment to `__proto__` would replace the prototype instead.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
