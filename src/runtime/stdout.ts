// Everything run-task prints, its own lines and the task's, goes through here
// to file descriptor 1 with synchronous writes: the two kinds of lines can never
// be reordered, and nothing is lost when run-task exits right after printing.
//
// When the reader of standard output goes away (`run-task … | head`), the
// task goes on: its work (artifacts, uploads) matters more than the lines
// nobody reads any more. run-task says so once on standard error and drops
// the rest of the output, instead of dying of the broken pipe mid-task.
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));
let readerGone = false;

export function writeOut(data: Uint8Array | string): void {
  if (readerGone) return;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        readerGone = true;
        try {
          writeSync(2, 'run-task: the reader of standard output is gone (broken pipe); the command goes on, its further output is discarded\n');
        } catch {
          // standard error is gone too: nothing left to tell
        }
        return;
      }
      // Another process sharing our stdout may have made it non-blocking.
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
