// Bytes from a cache made fit to print in the task log: anyone with access to
// the cache may have written them, and a control character would reach the
// reader's terminal (clearing it, retitling it, faking a line with a carriage
// return). Valid UTF-8 stays as it is; control characters (C0 but the newline,
// DEL, C1, the Unicode line separators) and bytes that are not UTF-8 are shown
// as \xNN or \uNNNN. Backslashes are left alone: the audit entries escaped
// their own when they were written.

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** The length of the valid UTF-8 sequence of at least two bytes at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i];
  let length: number;
  let min: number;
  if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (i + length > bytes.length) return 0;
  let code = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[i + k];
    if ((next & 0xc0) !== 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

function codePoint(bytes: Uint8Array, i: number, length: number): number {
  let code = bytes[i] & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) code = (code << 6) | (bytes[i + k] & 0x3f);
  return code;
}

export function shownBytes(bytes: Uint8Array): Buffer {
  const parts: string[] = [];
  let plainFrom = 0;
  const flush = (to: number) => {
    if (to > plainFrom) parts.push(Buffer.from(bytes.buffer, bytes.byteOffset + plainFrom, to - plainFrom).toString('utf8'));
  };
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i];
    if (byte < 0x80) {
      if ((byte < 0x20 && byte !== 0x0a) || byte === 0x7f) {
        flush(i);
        parts.push(`\\x${hex2(byte)}`);
        plainFrom = i + 1;
      }
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      flush(i);
      parts.push(`\\x${hex2(byte)}`);
      plainFrom = ++i;
      continue;
    }
    const code = codePoint(bytes, i, length);
    if (code <= 0x9f || code === 0x2028 || code === 0x2029) {
      flush(i);
      parts.push(code <= 0xff ? `\\x${hex2(code)}` : `\\u${code.toString(16)}`);
      plainFrom = i + length;
    }
    i += length;
  }
  flush(bytes.length);
  return Buffer.from(parts.join(''), 'utf8');
}
