// The downloaded file's bytes for a repack: as they are, or decompressed by
// the image's program (gzip, bzip2, xz, zstd) as they are read.
import { execa } from 'execa';
import { createReadStream } from 'node:fs';
import { DECOMPRESSORS, type Compression } from '../fetch/archive-format.js';
import { FetchContentError } from './failure.js';
import { relay, toolFailure } from './tool.js';

export interface Source {
  chunks: AsyncIterable<Uint8Array>;
  /** Resolves when the decompressor exited well; rejects with its failure. */
  done(): Promise<void>;
  /** Stops reading (the consumer failed). */
  stop(): Promise<void>;
}

export function openSource(file: string, compression: Compression | undefined): Source {
  if (compression === undefined) {
    const stream = createReadStream(file);
    return { chunks: stream, done: async () => {}, stop: async () => void stream.destroy() };
  }
  const program = DECOMPRESSORS[compression];
  const args = ['-d', '-c', file];
  const child = execa(program, args, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false });
  const said = relay(child.stderr!);
  const ended = child.then((result) => result);
  return {
    chunks: child.stdout as AsyncIterable<Uint8Array>,
    async done() {
      const result = await ended;
      if (result.exitCode !== 0) throw new FetchContentError(toolFailure(program, args, result, said(), `to decompress ${file}`));
    },
    async stop() {
      child.kill('SIGKILL');
      await ended;
    },
  };
}
