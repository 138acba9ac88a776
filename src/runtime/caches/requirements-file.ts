// `.cacherequires`: the requirements recorded by the first run-task that used
// the cache. Read without following links; replaced atomically (a task killed
// at any moment leaves the old file or the new one, never a partial one).
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { REQUIREMENTS_FILE, formatRequirements, parseRequirements } from '../../contract.js';
import { openRegularFile } from './safe-open.js';

/** A new `.cacherequires` before its rename; another run-task may be writing one right now. */
export const TEMPORARY_PREFIX = `${REQUIREMENTS_FILE}.tmp-`;

/** Far more than three short lines; a bigger file is not ours. */
const MAX_REQUIREMENTS_BYTES = 64 * 1024;

export type RecordedRequirements =
  | { state: 'missing' }
  | { state: 'unusable'; why: string }
  | { state: 'read'; lines: string[] };

export function readRequirements(cacheRoot: string): RecordedRequirements {
  const opened = openRegularFile(join(cacheRoot, REQUIREMENTS_FILE), constants.O_RDONLY);
  if ('problem' in opened) return opened.missing ? { state: 'missing' } : { state: 'unusable', why: opened.problem };
  try {
    if (opened.stats.size > MAX_REQUIREMENTS_BYTES) {
      return { state: 'unusable', why: `is ${opened.stats.size} bytes, far too large for a requirements file` };
    }
    const buffer = Buffer.alloc(opened.stats.size);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(opened.fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { state: 'read', lines: parseRequirements(buffer.toString('utf8', 0, length)) };
  } finally {
    closeSync(opened.fd);
  }
}

export function writeRequirements(cacheRoot: string, lines: readonly string[]): void {
  const target = join(cacheRoot, REQUIREMENTS_FILE);
  const { temporary, fd } = createTemporary(cacheRoot);
  try {
    const data = Buffer.from(formatRequirements(lines));
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
    fchmodSync(fd, 0o444);
    closeSync(fd);
    // rename replaces a link of that name; it never writes through it.
    renameSync(temporary, target);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(temporary);
    } catch {
      // never created or already renamed
    }
    throw error;
  }
  syncDirectory(cacheRoot);
}

/**
 * A new file next to the target, created exclusively: whatever a hostile task
 * left under that name (a file, a link) makes the open fail rather than be
 * used, and another name is tried. The name needs no secrecy, only novelty, so
 * it does not need node:crypto (slow to load, and run-task starts for every task).
 */
function createTemporary(cacheRoot: string): { temporary: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const suffix = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const temporary = join(cacheRoot, `${TEMPORARY_PREFIX}${suffix}`);
    try {
      const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o444);
      return { temporary, fd };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 10) throw error;
    }
  }
}

/** Makes the rename durable: without it a crash could bring back the old file. */
function syncDirectory(path: string): void {
  const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
