// Opening files inside a cache whose content may have been written by a hostile
// task: never through a symbolic link (O_NOFOLLOW), never blocking on a FIFO
// (O_NONBLOCK), and only regular files are used.
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';

export type SafeOpen = { fd: number; stats: Stats } | { problem: string; missing?: true };

export function openRegularFile(path: string, flags: number, mode = 0o644): SafeOpen {
  let fd: number;
  try {
    fd = openSync(path, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'does not exist', missing: true };
    if (code === 'ELOOP') return { problem: 'is a symbolic link, which run-task never follows' };
    if (code === 'ENXIO') return { problem: 'is a FIFO or socket, not a regular file' };
    if (code === 'EISDIR') return { problem: 'is a directory, not a regular file' };
    return { problem: `cannot be opened (${(error as Error).message})` };
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    // O_RDWR opens a FIFO without a reader or writer on the other side.
    if (stats.isFIFO() || stats.isSocket()) return { problem: 'is a FIFO or socket, not a regular file' };
    return { problem: stats.isDirectory() ? 'is a directory, not a regular file' : 'is not a regular file' };
  }
  return { fd, stats };
}
