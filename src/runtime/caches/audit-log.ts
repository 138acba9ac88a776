// `.cachelog`: one line per event, appended with a single write so that
// concurrent writers never interleave within an entry, and always starting on
// a line of its own: after a last line without its newline (a write cut short
// by a full disk, or a log written by something else), the entry starts with
// one. Writing it is best effort: a failure is reported and never decides the
// fate of the task.
import { closeSync, constants, readSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_LOG_FILE, formatAuditEntry } from '../../contract.js';
import { logBytes, logLine } from '../log.js';
import { openRegularFile } from './safe-open.js';
import { shownBytes } from './shown-bytes.js';

/** The end of a long log is what explains the current state; older history is cut. */
export const MAX_PRINTED_LOG_BYTES = 1024 * 1024;

export function appendAuditEntry(cacheRoot: string, taskId: string | undefined, message: string): boolean {
  const path = join(cacheRoot, AUDIT_LOG_FILE);
  const opened = openRegularFile(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT);
  if ('problem' in opened) {
    logLine('cache', `warning: cannot append to audit log ${path}: it ${opened.problem}; continuing without this entry: ${message}`);
    return false;
  }
  try {
    const formatted = formatAuditEntry(new Date(), taskId, message);
    const entry = Buffer.from(endsMidLine(opened.fd, opened.stats) ? `\n${formatted}` : formatted);
    const written = writeSync(opened.fd, entry);
    if (written !== entry.length) {
      logLine('cache', `warning: audit log ${path}: only ${written} of ${entry.length} bytes of the entry were written (disk full?)`);
      return false;
    }
    return true;
  } catch (error) {
    logLine('cache', `warning: cannot append to audit log ${path}: ${(error as Error).message}; continuing without this entry: ${message}`);
    return false;
  } finally {
    closeSync(opened.fd);
  }
}

function endsMidLine(fd: number, stats: Stats): boolean {
  if (stats.size === 0) return false;
  const last = Buffer.alloc(1);
  return readSync(fd, last, 0, 1, stats.size - 1) === 1 && last[0] !== 10;
}

/** Prints the cache's history, so that a failing task's log shows who left the cache in this state. */
export function printAuditLog(cacheRoot: string): void {
  const path = join(cacheRoot, AUDIT_LOG_FILE);
  const opened = openRegularFile(path, constants.O_RDONLY);
  if ('problem' in opened) {
    logLine('cache', `audit log ${path} ${opened.problem}; it is not printed`);
    return;
  }
  try {
    const size = opened.stats.size;
    let start = Math.max(0, size - MAX_PRINTED_LOG_BYTES);
    const buffer = Buffer.alloc(size - start);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(opened.fd, buffer, length, buffer.length - length, start + length);
      if (n === 0) break;
      length += n;
    }
    let text = buffer.subarray(0, length);
    if (start > 0) {
      // Start at a whole entry.
      const newline = text.indexOf(10);
      const skip = newline === -1 ? 0 : newline + 1;
      text = text.subarray(skip);
      start += skip;
      logLine('cache', `audit log ${path} (${size} bytes; its first ${start} bytes are left out):`);
    } else if (length === 0) {
      logLine('cache', `audit log ${path} is empty`);
      return;
    } else {
      logLine('cache', `audit log ${path}:`);
    }
    logBytes('cache', '  ', shownBytes(text));
  } finally {
    closeSync(opened.fd);
  }
}
