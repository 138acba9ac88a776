// Mount points compared as the worker sees them: `/a/b/` and `/a/b` are one
// directory, and `/a/bc` is not inside `/a/b`.
import { posix } from 'node:path';

// A graph has thousands of tasks but a handful of distinct mount points.
const normalized = new Map<string, string>();

export function normalizeDir(path: string): string {
  let dir = normalized.get(path);
  if (dir === undefined) {
    const n = posix.normalize(path);
    dir = n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
    if (normalized.size > 10_000) normalized.clear();
    normalized.set(path, dir);
  }
  return dir;
}

/** True when `inner` is strictly below `outer`. */
export function isStrictlyInside(inner: string, outer: string): boolean {
  const a = normalizeDir(inner);
  const b = normalizeDir(outer);
  return a !== b && a.startsWith(b === '/' ? '/' : `${b}/`);
}

/** True when `inner` is `outer` or below it. */
export function isWithin(inner: string, outer: string): boolean {
  return normalizeDir(inner) === normalizeDir(outer) || isStrictlyInside(inner, outer);
}
