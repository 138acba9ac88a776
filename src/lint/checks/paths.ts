// Mount points compared as the worker sees them: `/a/b/` and `/a/b` are one
// directory, and `/a/bc` is not inside `/a/b`.
import { posix } from 'node:path';

export function normalizeDir(path: string): string {
  const n = posix.normalize(path);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
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
