// Paths in reports: relative to the working directory when the file is below
// it (what editors and code review expect), absolute otherwise.
import { isAbsolute, relative, sep } from 'node:path';

/** A location's file that is a URL (a graph file's metadata.source), not a path. */
export function isUrl(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}

export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}
