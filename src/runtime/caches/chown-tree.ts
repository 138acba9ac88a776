// Gives a whole cache to the task's user. The cache may hold anything a hostile
// task left there, so owners are changed on links themselves (lchown), no walk
// descends into a link, and none leaves the root.
//
// On a cache of hundreds of thousands of files the cost is one system call per
// entry; Node.js adds about a third to each (issue 5, bench/large-cache.ts). So
// the image's own `chown -R -h` changes the owners, in a child process, while
// this process walks the same tree for what chown cannot do (u+rwx on
// directories) and to count the entries; the two commute, and the second core
// takes the walk. Without a usable system chown, or when it fails, the walk
// changes the owners itself and names the entry that could not be changed.
import { spawn } from 'node:child_process';
import { chmodSync, lchownSync, lstatSync, opendirSync, realpathSync, statSync, type Dir } from 'node:fs';

/** Entries read per system call: far fewer calls on large directories, still bounded memory. */
const DIR_BUFFER = 1024;

/** The owner needs all of these on a directory to delete what is in it. */
const OWNER_RWX = 0o700;

/**
 * Where images keep chown. Never looked up in PATH: run-task is root here and
 * PATH comes from the task definition.
 */
export const SYSTEM_CHOWN = ['/usr/bin/chown', '/bin/chown'] as const;

/** u+rwx on a real directory (checked again right before chmod, which follows links). */
function openDirectoryToOwner(path: string): void {
  const stats = lstatSync(path);
  if (stats.isDirectory() && (stats.mode & OWNER_RWX) !== OWNER_RWX) {
    chmodSync(path, (stats.mode & 0o7777) | OWNER_RWX);
  }
}

/** lchown, and u+rwx on directories, as taskgraph's run-task does for a cache it gives away. */
export function giveDirectory(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  openDirectoryToOwner(path);
}

/**
 * Visits everything under `root` (not the root itself), streaming each
 * directory and keeping only the open directories of the current path, so that
 * memory stays bounded whatever the number of files. The entry's type comes
 * from the directory itself (lstat when the file system does not say), so a
 * link to a directory is not a directory here. Returns the number of entries.
 */
function walk(root: string, visit: (path: string, isDirectory: boolean) => void): number {
  let count = 0;
  const open: { path: string; dir: Dir }[] = [{ path: root, dir: opendirSync(root, { bufferSize: DIR_BUFFER }) }];
  try {
    while (open.length > 0) {
      const top = open[open.length - 1];
      const entry = top.dir.readSync();
      if (entry === null) {
        top.dir.closeSync();
        open.pop();
        continue;
      }
      // Entry names never contain '/', and the root is absolute: no normalisation needed.
      const path = `${top.path}/${entry.name}`;
      count++;
      const isDirectory = entry.isDirectory();
      visit(path, isDirectory);
      if (isDirectory) open.push({ path, dir: opendirSync(path, { bufferSize: DIR_BUFFER }) });
    }
  } finally {
    for (const { dir } of open) {
      try {
        dir.closeSync();
      } catch {
        // already closed
      }
    }
  }
  return count;
}

/**
 * The first candidate that is a root-owned executable no one else may replace,
 * outside the tree being re-owned (a cache mounted over /usr/bin must not
 * provide the program that root runs on it).
 */
export function trustedChown(candidates: readonly string[], root: string): string | undefined {
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate);
      const stats = statSync(real);
      if (!stats.isFile() || stats.uid !== 0 || (stats.mode & 0o022) !== 0 || (stats.mode & 0o100) === 0) continue;
      if (real === root || real.startsWith(`${root}/`)) continue;
      return candidate;
    } catch {
      // not there: the next one
    }
  }
  return undefined;
}

/** Whether chown succeeded, and if not, its status and the first thing it said on stderr. */
function runChown(program: string, root: string, uid: number, gid: number): Promise<{ ok: boolean; why: string }> {
  const child = spawn(program, ['-R', '-h', `${uid}:${gid}`, '--', root], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { LC_ALL: 'C' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ ok: false, why: error.message }));
    child.once('close', (code, signal) => {
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '') ?? '';
      const status = signal ? `was killed by ${signal}` : `exited with ${code}`;
      resolve({ ok: code === 0, why: `${program} ${status}${firstLine ? `: ${firstLine}` : ''}` });
    });
  });
}

export interface ChownResult {
  /** Entries changed, the root included. */
  count: number;
  /** Why the system chown was not the one that changed the owners, when it was tried and failed. */
  chownFailed?: string;
}

/** Changes the owner of `root` and everything under it. */
export async function chownTree(root: string, uid: number, gid: number, candidates: readonly string[] = SYSTEM_CHOWN): Promise<ChownResult> {
  if (!lstatSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  const program = trustedChown(candidates, root);
  if (program === undefined) return { count: ownWalk(root, uid, gid) };

  const chowned = runChown(program, root, uid, gid);
  let walked: { count: number } | { error: unknown };
  try {
    openDirectoryToOwner(root);
    walked = {
      count:
        1 +
        walk(root, (path, isDirectory) => {
          if (isDirectory) openDirectoryToOwner(path);
        }),
    };
  } catch (error) {
    walked = { error };
  }
  // Never leave a chown running on a cache that may be purged next.
  const outcome = await chowned;
  if ('error' in walked) throw walked.error;
  if (outcome.ok) return walked;
  // The walk meets the same problem, if it lasts, and names the entry.
  try {
    return { count: ownWalk(root, uid, gid), chownFailed: outcome.why };
  } catch (error) {
    throw new Error(`${(error as Error).message} (before that, ${outcome.why})`);
  }
}

/** lchown of every entry from this process. */
function ownWalk(root: string, uid: number, gid: number): number {
  giveDirectory(root, uid, gid);
  return 1 + walk(root, (path, isDirectory) => (isDirectory ? giveDirectory(path, uid, gid) : lchownSync(path, uid, gid)));
}
