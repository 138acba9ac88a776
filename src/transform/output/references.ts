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
// may appear as any value anywhere in the task definition.
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

export const TASK_REFERENCE = 'task-reference';
export const ARTIFACT_REFERENCE = 'artifact-reference';
export const SELF = 'self';
export const DECISION = 'decision';

const MARKER = /<([^<>]+)>/g;

export type ReferenceKind = typeof TASK_REFERENCE | typeof ARTIFACT_REFERENCE;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reference `value` is, if it is one. */
export function asReference(value: unknown): { kind: ReferenceKind; text: string } | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const kind = keys[0];
  if (kind !== TASK_REFERENCE && kind !== ARTIFACT_REFERENCE) return undefined;
  const text = value[kind];
  return typeof text === 'string' ? { kind, text } : undefined;
}

/** How the markers of one task are replaced. `path` is where, inside the task definition. */
export interface MarkerResolver {
  /** `<name>` in a task-reference or in an object key. */
  task(name: string, path: YamlPath): string;
  /** `<name/path/to/artifact>` in an artifact-reference (`artifact` is undefined when there is no `/`). */
  artifact(name: string, artifact: string | undefined, path: YamlPath): string;
}

function replaceMarkers(text: string, each: (inner: string) => string): string {
  return text.replace(MARKER, (_whole, inner: string) => each(inner));
}

/**
 * A copy of `value` with every reference replaced by a string and every marker
 * in an object key substituted, as `resolver` says. `value` is not modified.
 */
export function substituteReferences(value: unknown, resolver: MarkerResolver, path: YamlPath = []): unknown {
  if (Array.isArray(value)) return value.map((item, i) => substituteReferences(item, resolver, [...path, i]));
  if (!isPlainObject(value)) return value;
  const reference = asReference(value);
  if (reference) {
    const here = [...path, reference.kind];
    if (reference.kind === TASK_REFERENCE) return replaceMarkers(reference.text, (name) => resolver.task(name, here));
    return replaceMarkers(reference.text, (inner) => {
      const slash = inner.indexOf('/');
      return slash < 0
        ? resolver.artifact(inner, undefined, here)
        : resolver.artifact(inner.slice(0, slash), inner.slice(slash + 1), here);
    });
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const newKey = key.includes('<') ? replaceMarkers(key, (name) => resolver.task(name, [...path, key])) : key;
    const resolved = substituteReferences(item, resolver, [...path, key]);
    // A plain assignment to `__proto__` would replace the prototype instead.
    if (newKey === '__proto__') Object.defineProperty(out, newKey, { value: resolved, enumerable: true, writable: true, configurable: true });
    else out[newKey] = resolved;
  }
  return out;
}
