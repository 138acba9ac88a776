// Gives a whole cache to the task's user. The cache may hold anything a hostile
// task left there, so the walk changes the owner of links themselves (lchown),
// never descends into a link, and never leaves the root. It streams each
// directory (opendir) and keeps only the open directories of the current path,
// so memory stays bounded whatever the number of files.
import { chmodSync, lchownSync, lstatSync, opendirSync, type Dir } from 'node:fs';

/** Entries read per system call: far fewer calls on large directories, still bounded memory. */
const DIR_BUFFER = 1024;

/** The owner needs all of these on a directory to delete what is in it. */
const OWNER_RWX = 0o700;

/** lchown, and u+rwx on directories, as taskgraph's run-task does for a cache it gives away. */
export function giveDirectory(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  const stats = lstatSync(path);
  // Checked again right before chmod (which follows links): only a real directory is changed.
  if (stats.isDirectory() && (stats.mode & OWNER_RWX) !== OWNER_RWX) {
    chmodSync(path, (stats.mode & 0o7777) | OWNER_RWX);
  }
}

/** Changes the owner of `root` and everything under it; returns the number of entries changed. */
export function chownTree(root: string, uid: number, gid: number): number {
  if (!lstatSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  giveDirectory(root, uid, gid);
  let count = 1;
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
      // The entry's type comes from the directory itself (lstat when the file
      // system does not say), so a link to a directory is not a directory here.
      if (entry.isDirectory()) {
        giveDirectory(path, uid, gid);
        open.push({ path, dir: opendirSync(path, { bufferSize: DIR_BUFFER }) });
      } else {
        lchownSync(path, uid, gid);
      }
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
