// A tar archive byte for byte as taskgraph writes a docker context: CPython's
// tarfile in GNU format, every member a regular file owned by 0:0 with empty
// user and group names and one fixed mtime, and the device fields written as
// zeros (taskgraph forces that so that every Python version gives the same
// bytes). taskgraph's image digest is the SHA-256 of exactly these bytes, so
// nothing here may be "improved" without changing every digest: libraries
// such as tar-stream write POSIX ustar headers ("ustar\0" "00", PAX records
// for long names, no padding to a full record) and cannot produce them.

/** 2016-01-01T00:00:00Z, the mtime taskgraph gives every member. */
export const CONTEXT_MTIME = 1451606400;

const BLOCK = 512;
/** CPython pads the archive to a multiple of 20 blocks. */
const RECORD = 20 * BLOCK;
const NAME_FIELD = 100;
const GNU_MAGIC = Buffer.from('ustar  \0', 'latin1');
const REGULAR_FILE = '0';
const GNU_LONG_NAME = 'L';

export interface TarMember {
  /** Path inside the archive, as given: no normalisation. */
  name: string;
  /** Permission bits (the file type bits are dropped, as tarfile does). */
  mode: number;
  /** The member's bytes, read only when the archive reaches it. */
  content(): Buffer;
}

/**
 * A numeric field of `width` bytes: octal digits and a NUL, or, for a number
 * too large for them, GNU's base-256 form (0x80, then big-endian bytes).
 */
function numberField(value: number, width: number): Buffer {
  const field = Buffer.alloc(width);
  if (value < 8 ** (width - 1)) {
    field.write(value.toString(8).padStart(width - 1, '0'), 'latin1');
    return field;
  }
  field[0] = 0x80;
  let rest = BigInt(value);
  for (let i = width - 1; i >= 1; i--) {
    field[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new RangeError(`${value} does not fit in a ${width}-byte tar field`);
  return field;
}

function header(name: Buffer, fields: { mode: number; size: number; mtime: number; type: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  name.copy(block, 0, 0, Math.min(name.length, NAME_FIELD));
  numberField(fields.mode & 0o7777, 8).copy(block, 100);
  numberField(0, 8).copy(block, 108); // uid
  numberField(0, 8).copy(block, 116); // gid
  numberField(fields.size, 12).copy(block, 124);
  numberField(fields.mtime, 12).copy(block, 136);
  block.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
  block.write(fields.type, 156, 'latin1');
  GNU_MAGIC.copy(block, 257);
  // uname and gname (265..328) stay empty; device numbers are zeros, not blank.
  numberField(0, 8).copy(block, 329);
  numberField(0, 8).copy(block, 337);
  let sum = 0;
  for (const byte of block) sum += byte;
  // Six octal digits and a NUL; the eighth byte keeps its space.
  block.write(`${sum.toString(8).padStart(6, '0')}\0`, 148, 'latin1');
  return block;
}

function padding(length: number): Buffer {
  const over = length % BLOCK;
  return Buffer.alloc(over === 0 ? 0 : BLOCK - over);
}

/**
 * The archive of `members`, in the order given, as a sequence of chunks, so
 * that a caller can hash or compress it without holding all of it.
 */
export function* gnuTarChunks(members: Iterable<TarMember>): Generator<Buffer> {
  let written = 0;
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8');
    if (name.length > NAME_FIELD) {
      // A name longer than the field goes first in a ././@LongLink member.
      const longName = Buffer.concat([name, Buffer.from([0])]);
      yield header(Buffer.from('././@LongLink', 'latin1'), { mode: 0, size: longName.length, mtime: 0, type: GNU_LONG_NAME });
      yield longName;
      yield padding(longName.length);
      written += BLOCK + longName.length + padding(longName.length).length;
    }
    const content = member.content();
    yield header(name, { mode: member.mode, size: content.length, mtime: CONTEXT_MTIME, type: REGULAR_FILE });
    yield content;
    const pad = padding(content.length);
    yield pad;
    written += BLOCK + content.length + pad.length;
  }
  const end = 2 * BLOCK;
  written += end;
  const over = written % RECORD;
  yield Buffer.alloc(end + (over === 0 ? 0 : RECORD - over));
}
