// Reading one input file (kind.yml, a tasks-from file, config.yml, the
// parameters) so that no input can hang or exhaust the tool: only a regular
// file is read (a FIFO would block, /dev/zero would never end), no bigger
// than the limit, and it must be UTF-8, as PyYAML requires of taskgraph's
// files (a bad byte is located rather than turned into U+FFFD).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DiagnosticsError, type Diagnostic } from '../diagnostics.js';
import { limits } from './limits.js';

const fail = (diagnostic: Diagnostic): never => {
  throw new DiagnosticsError([diagnostic]);
};

export function readInputFile(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'a symbolic link that loops' : (error as Error).message;
    return fail({ severity: 'error', message: `cannot read ${file}: ${reason}` });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const what = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : stats.isSocket() ? 'a socket' : 'not a regular file';
      fail({ severity: 'error', message: `cannot read ${file}: it is ${what}, and only regular files are read` });
    }
    const max = limits().maxFileBytes;
    if (stats.size > max) {
      fail({
        severity: 'error',
        message: `${file} is ${stats.size} bytes, more than the limit of ${max} bytes for one input file`,
        hint: 'raise it with --max-file-size if the file is meant to be this big',
      });
    }
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeUtf8(buffer.subarray(0, read), file);
  } finally {
    closeSync(fd);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    const before = bytes.subarray(0, offset);
    const lineStart = before.lastIndexOf(0x0a) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const column = before.subarray(lineStart).toString('utf8').length + 1;
    return fail({
      severity: 'error',
      message: `${file} is not UTF-8: byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at byte offset ${offset} is not valid UTF-8`,
      location: { file, line, column },
      hint: 'save the file as UTF-8',
    });
  }
}

/** The offset of the first byte that does not belong to a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { length = 2; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { length = 3; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { length = 4; min = 0x10000; }
    else return i;
    if (i + length > bytes.length) return i;
    let cp = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}
