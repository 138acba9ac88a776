// Symbolic links in a taskgraph tree are followed, as taskgraph follows them
// (a kind directory that is a link loads), but only within the repository the
// tree lives in: a link that leaves it, or that loops, is a located error,
// never a silent drop. The repository is the nearest directory at or above
// the taskgraph root that holds .git or .hg; without one, the directory that
// holds the root (where a repository's taskcluster/ usually sits).
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

const repositories = new Map<string, string>();

export function repositoryOf(root: string): string {
  let found = repositories.get(root);
  if (found === undefined) {
    const real = realpathSync(root);
    found = dirname(real);
    for (let dir = real; ; dir = dirname(dir)) {
      if (existsSync(join(dir, '.git')) || existsSync(join(dir, '.hg'))) {
        found = dir;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    repositories.set(root, found);
  }
  return found;
}

/**
 * undefined when `path` (links resolved) is inside the repository of `root`;
 * otherwise the error, located at the path as the user's tree names it.
 * A path that does not exist is left to the caller's own message.
 */
export function leavesRepository(path: string, root: string, what: string): Diagnostic | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') {
      return { severity: 'error', message: `${what} is a symbolic link that loops`, location: { file: path, line: 1, column: 1 }, hint: 'point the link at a real directory or file' };
    }
    return undefined;
  }
  const repository = repositoryOf(root);
  if (real === repository || real.startsWith(repository + sep)) return undefined;
  return {
    severity: 'error',
    message: `${what} leads to ${real}, outside the repository ${repository}`,
    location: { file: path, line: 1, column: 1 },
    hint: 'only files of the repository are read: copy what it points at into the repository',
  };
}
