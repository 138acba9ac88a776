// Nothing of a fetch appears where the task looks before the download is
// complete and verified. Archives are extracted into a staging directory next
// to their destination (same file system, so moving is renaming), and the
// entries are moved into the destination only then; a kept file is written
// under a temporary name and renamed. A failed fetch removes what it staged;
// a run-task killed meanwhile leaves only `.run-task-fetch-*` names, which
// no tool mistakes for the result.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

export const STAGING_PREFIX = '.run-task-fetch-';

/** A new staging directory inside `dest` (mode 0700 until its entries move out). */
export function makeStagingDirectory(dest: string): Promise<string> {
  return mkdtemp(join(dest, STAGING_PREFIX));
}

/** A temporary name in `dir` for the download of `name`. */
export function temporaryFileName(dir: string, name: string): string {
  return join(dir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}-${name}.part`);
}

// Two fetches may put the same directories (bin/, lib/) into one destination:
// their moves take turns, so that neither sees the other's half-moved tree.
let moving: Promise<unknown> = Promise.resolve();

/**
 * Moves everything in `staging` into `dest`, as extracting there would have
 * put it: a directory that exists in both is merged, a file replaces a file;
 * a file where a directory is (or the reverse) is an error naming it, and
 * nothing of the destination is removed. Then removes `staging`.
 */
export function moveStagedEntries(staging: string, dest: string): Promise<void> {
  const turn = moving.then(() => merge(staging, dest));
  moving = turn.catch(() => {});
  return turn.then(() => rmdir(staging));
}

async function merge(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const existing = await lstat(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (existing === undefined) {
      await rename(source, target);
      continue;
    }
    const incoming = await lstat(source);
    if (incoming.isDirectory() && existing.isDirectory()) {
      // Its entries move out of it: a read-only directory of the archive must let them.
      if ((incoming.mode & 0o300) !== 0o300) await chmod(source, (incoming.mode & 0o7777) | 0o300);
      await merge(source, target);
      await rmdir(source);
    } else if (!incoming.isDirectory() && !existing.isDirectory()) {
      await rename(source, target);
    } else {
      const what = (directory: boolean) => (directory ? 'a directory' : 'a file');
      throw new Error(
        `${target} is ${what(existing.isDirectory())} (from an earlier fetch, or made by the image), ` +
          `and the archive has ${what(incoming.isDirectory())} there; ` +
          'give one of the fetches its own "dest", or make sure nothing else is at that path',
      );
    }
  }
}

/** Removes a staging directory or temporary file and everything in it, read-only directories included. */
export async function removeStaged(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    // Archives may hold read-only directories (tar restores their modes); ours can be opened again.
    await makeDirectoriesWritable(path);
    await rm(path, { recursive: true, force: true });
  }
}

async function makeDirectoriesWritable(dir: string): Promise<void> {
  const stats = await lstat(dir);
  if (!stats.isDirectory()) return;
  if ((stats.mode & 0o700) !== 0o700) await chmod(dir, (stats.mode & 0o7777) | 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await makeDirectoriesWritable(join(dir, entry.name));
  }
}
