// A cached clone that git can no longer use (a task killed in the middle of a
// clone, a disk that lost objects, an earlier task that broke .git) would fail
// every later task given the same cache. It is only a cache: run-task says
// what is wrong with it, removes it and clones afresh. Only when it cannot be
// removed does the task end with the status that makes the worker purge the
// caches and run the task again.
import { chmodSync, lstatSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RunTaskExit, reason } from '../failure.js';
import { logLine } from '../log.js';
import { EXIT_PURGE_CACHES } from '../../contract.js';
import { gitErrorSummary } from './git-failures.js';
import { git, NOT_STARTED, type GitContext } from './git.js';
import type { PreparedCheckout } from './prepare.js';

/** Thrown by a step that found the local clone broken; `why` says how, in one line. */
export class UnusableClone extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/**
 * Why the clone at the checkout's path cannot be used, or undefined when it
 * can. Local and cheap (no object walk): the checks that catch an interrupted
 * clone and a broken .git; damage deeper in the objects shows when a later
 * step fails.
 */
export async function inspectClone(checkout: PreparedCheckout, context: GitContext): Promise<string | undefined> {
  const dotGit = join(checkout.path, '.git');
  const stats = lstatSync(dotGit);
  if (!stats.isDirectory()) {
    return `its .git is a ${stats.isSymbolicLink() ? 'symbolic link' : 'file'}, not the directory of a clone run-task made`;
  }
  // Without a ceiling, git would look for a repository in the directories
  // above a broken one, and find the outer checkout of a nested one.
  const local: GitContext = { ...context, env: { ...context.env, GIT_CEILING_DIRECTORIES: dirname(checkout.path) } };
  // One git process for both questions (each costs a task a few milliseconds):
  // the repository's directory is printed even when HEAD then fails.
  const found = await git(['rev-parse', '--absolute-git-dir', '--verify', '--quiet', 'HEAD^{commit}'], local, checkout.path, true);
  if (found.status === NOT_STARTED) throw new RunTaskExit(1, 'vcs', [`error: checkout into ${checkout.path} failed: ${found.output}`]);
  const [gitDir = '', commit = ''] = found.stdout.trim().split('\n');
  if (gitDir === '') return `git does not recognise it as a repository (${gitErrorSummary(found.output)})`;
  if (gitDir !== realpathSync(dotGit)) return `git finds the repository ${gitDir} there instead of ${dotGit}`;
  if (found.status !== 0 || commit === '') {
    return 'its HEAD names no commit that the clone holds (a clone that was interrupted, or objects missing from .git/objects)';
  }
  return undefined;
}

/**
 * Empties the checkout's directory so that it can be cloned into again, or
 * ends the task: with 72 when the clone is in a cache (the worker purges it),
 * with 1 otherwise (nothing keeps it for a next task anyway).
 */
export function discardClone(checkout: PreparedCheckout, why: string): void {
  logLine('vcs', `the cached clone in ${checkout.path} is unusable: ${why}`);
  logLine('vcs', `removing it to clone afresh (a cached clone is only a cache)`);
  try {
    emptyDirectory(checkout.path);
  } catch (error) {
    const cannot = `error: cannot remove the unusable clone in ${checkout.path}: ${reason(error)}`;
    if (checkout.cache !== undefined) {
      throw new RunTaskExit(EXIT_PURGE_CACHES, 'vcs', [
        cannot,
        `exiting with status ${EXIT_PURGE_CACHES}: the worker purges the task's caches (the cache ${checkout.cache} among them) and runs the task again`,
      ]);
    }
    throw new RunTaskExit(1, 'vcs', [cannot, `it is in no cache that run-task knows of: remove ${checkout.path}, or purge the cache that holds it`]);
  }
}

/**
 * .git goes last, and only once everything else is gone, so that what a
 * failure (or a run-task killed meanwhile) leaves is either a .git (found
 * unusable, or still whole, next time) or an empty directory (cloned into):
 * never files without a clone, which run-task does not delete on a guess.
 */
function emptyDirectory(dir: string): void {
  const removeEntries = () => {
    removeAll(dir, readdirSync(dir).filter((entry) => entry !== '.git'));
    removeAll(dir, ['.git']);
  };
  try {
    removeEntries();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    // Tools leave read-only directories (Go's module cache does); ours can be made writable again.
    makeOwnDirectoriesWritable(dir);
    removeEntries();
  }
}

/** Removes every entry it can; throws the first failure after trying them all. */
function removeAll(dir: string, entries: readonly string[]): void {
  let failure: unknown;
  for (const entry of entries) {
    try {
      rmSync(join(dir, entry), { recursive: true, force: true });
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

function makeOwnDirectoriesWritable(dir: string): void {
  const stats = lstatSync(dir);
  if (!stats.isDirectory() || stats.uid !== process.getuid!()) return;
  if ((stats.mode & 0o700) !== 0o700) chmodSync(dir, (stats.mode & 0o7777) | 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) makeOwnDirectoriesWritable(join(dir, entry.name));
  }
}
