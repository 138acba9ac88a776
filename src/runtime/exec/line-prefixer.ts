// Prefixes every line of a byte stream with `[task <UTC ISO-8601 time>] `.
// Bytes are never decoded, so any encoding and any line length pass through
// unchanged. The time is taken once per chunk: a chunk arrives in one read, so
// its lines were written at (nearly) the same moment. A line split across
// chunks gets its prefix from the chunk where it starts.
//
// This is the hot path (millions of lines a second): one pass over the bytes,
// the prefix stored eight bytes at a time, and one reused output buffer. The
// prefix is stored as float64 values: its bytes are printable ASCII (below
// 0x7f), so no group of eight can form a NaN whose bits could be altered.
const NEWLINE = 10;

export class LinePrefixer {
  private atLineStart = true;
  private output = new Uint8Array(1 << 16);
  private view = new DataView(this.output.buffer);

  /**
   * The prefixed bytes of `chunk`. The result is a view into a buffer that is
   * reused by the next call: write it out before pushing more.
   */
  push(chunk: Uint8Array): Uint8Array {
    const n = chunk.length;
    if (n === 0) return chunk.subarray(0, 0);
    const prefix = Buffer.from(`[task ${new Date().toISOString()}] `, 'latin1');
    const p = prefix.length;
    const words = p >>> 3;
    const prefixView = new DataView(prefix.buffer, prefix.byteOffset, p);
    const word = new Float64Array(words);
    for (let k = 0; k < words; k++) word[k] = prefixView.getFloat64(k * 8, true);

    // Worst case, every byte is a newline; a bound is cheaper than counting first.
    const worst = n + (n + 1) * p;
    if (this.output.length < worst) {
      this.output = new Uint8Array(Math.max(worst, this.output.length * 2));
      this.view = new DataView(this.output.buffer);
    }
    const out = this.output;
    const view = this.view;
    let o = 0;
    if (this.atLineStart) {
      for (let k = 0; k < p; k++) out[o++] = prefix[k];
    }
    const last = n - 1;
    for (let i = 0; i < n; i++) {
      const byte = chunk[i];
      out[o++] = byte;
      if (byte === NEWLINE && i !== last) {
        for (let k = 0; k < words; k++) {
          view.setFloat64(o, word[k], true);
          o += 8;
        }
        for (let k = words * 8; k < p; k++) out[o++] = prefix[k];
      }
    }
    this.atLineStart = chunk[last] === NEWLINE;
    return out.subarray(0, o);
  }

  /** What ends the stream: a newline when the last line had none, so it is still a whole line. */
  finish(): Uint8Array {
    const end = this.atLineStart ? new Uint8Array(0) : new Uint8Array([NEWLINE]);
    this.atLineStart = true;
    return end;
  }
}
