// The digest of a toolchain's inputs (taskgraph's hash_paths): every file git
// tracks that matches one of the patterns, each hashed, then the list of
// "<sha256> <path>" lines hashed. As in taskgraph, the files are those of the
// commit checked out (HEAD) and their content that of the work tree; files
// git does not track never count, so a build output lying in the tree cannot
// change a digest.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Repository {
  /** Absolute path of the work tree's top directory. */
  top: string;
  /** Paths relative to `top`, with `/`. */
  files: string[];
}

const repositories = new Map<string, Repository | { error: string }>();

/** The git repository `dir` is in, with the files of its HEAD commit (read once per directory). */
export function trackedFiles(dir: string): Repository | { error: string } {
  let found = repositories.get(dir);
  if (found) return found;
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  if (top.status !== 0) {
    found = { error: `${dir} is not inside a git repository (git: ${(top.stderr || top.error?.message || '').trim()})` };
  } else {
    const path = top.stdout.trim();
    const list = spawnSync('git', ['ls-tree', '-r', '-z', '--name-only', 'HEAD'], { cwd: path, encoding: 'utf8', maxBuffer: 1 << 30 });
    found =
      list.status === 0
        ? { top: path, files: list.stdout.split('\0').filter((f) => f !== '') }
        : { error: `git ls-tree HEAD failed in ${path} (is anything committed?): ${(list.stderr || list.error?.message || '').trim()}` };
  }
  repositories.set(dir, found);
  return found;
}

/**
 * taskgraph's path patterns: `*` is any part of one path component, `**` any
 * number of directories, and a pattern naming a directory matches what is below it.
 */
export function patternRegExp(pattern: string): RegExp {
  let p = pattern.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => (c === '/' ? '/' : `\\${c}`));
  p = p.replace(/(^|\/)\\\*\\\*\//g, '$1(?:.+/)?');
  p = p.replace(/(^|\/)\\\*\\\*$/g, '(?:$1.+)?');
  p = p.replaceAll('\\*', '[^/]*');
  return new RegExp(`^${p}(?:/.*)?$`);
}

/** For each pattern, the tracked files it matches; a pattern matching none is returned in `unmatched`. */
export function hashTrackedPaths(repository: Repository, patterns: string[]): { digest: string; unmatched: number[] } {
  const found = new Set<string>();
  const unmatched: number[] = [];
  patterns.forEach((pattern, index) => {
    if (pattern === '') {
      repository.files.forEach((f) => found.add(f));
      return;
    }
    const re = patternRegExp(pattern);
    const matches = repository.files.filter((f) => re.test(f));
    if (matches.length === 0) unmatched.push(index);
    for (const m of matches) found.add(m);
  });
  const hash = createHash('sha256');
  for (const path of [...found].sort()) {
    const content = createHash('sha256').update(readFileSync(join(repository.top, path))).digest('hex');
    hash.update(`${content} ${path}\n`);
  }
  return { digest: hash.digest('hex'), unmatched };
}
