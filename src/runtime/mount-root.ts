// What caches and volumes have in common: a path the task definition names
// (trusted), which must be a directory, and which is given to the task's user
// when run-task runs as root.
import { realpathSync, statSync } from 'node:fs';
import { giveDirectory } from './caches/chown-tree.js';
import { RunTaskExit, reason } from './failure.js';
import type { TaskIdentity } from './users.js';

/**
 * The real path of the mount point `path`; exit status 1 naming it when it is
 * not a directory. Links inside it are not trusted, the path itself is.
 */
export function mountRoot(path: string, kind: 'cache' | 'volume', advice?: string): string {
  try {
    if (!statSync(path).isDirectory()) throw new Error('it is a file');
    return realpathSync(path);
  } catch (error) {
    const why = error instanceof Error && !(error as NodeJS.ErrnoException).code ? error.message : reason(error);
    throw new RunTaskExit(1, kind, [`error: ${kind} ${path} is not a directory (${why})${advice ? `; ${advice}` : ''}`]);
  }
}

/** The mount point belongs to the task's user, who fills it; exit status 1 when that fails. */
export function giveMountRoot(path: string, root: string, kind: 'cache' | 'volume', identity: TaskIdentity): void {
  try {
    giveDirectory(root, identity.uid, identity.gid);
  } catch (error) {
    throw new RunTaskExit(1, kind, [`error: cannot give ${kind} ${path} to ${identity.uid}:${identity.gid}: ${reason(error)}`]);
  }
}
