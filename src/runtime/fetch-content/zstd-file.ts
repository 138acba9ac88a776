// A .tar.zst written by the image's zstd: under a temporary name beside its
// destination, renamed to it only once zstd has taken everything and exited
// well. A failure removes the temporary file; the destination is never seen
// half-written, and a file already there stays until it is replaced whole.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { FetchContentError } from './failure.js';
import { relay, toolFailure } from './tool.js';

export const TEMPORARY_PREFIX = '.fetch-content-';

/** A temporary name in the directory of `path`. */
export const temporaryBeside = (path: string) => join(dirname(path), `${TEMPORARY_PREFIX}${randomBytes(6).toString('hex')}-${basename(path)}.part`);

/** Writes to `dest` the zstd compression of what `feed` writes to its argument (feed must not end it). */
export async function writeZstdFile(dest: string, feed: (input: ZstdInput) => Promise<void>): Promise<void> {
  const temporary = temporaryBeside(dest);
  // zstd's default level (3), as the zstandard module fetch-content uses.
  const args = ['-q', '-c'];
  const child = execa('zstd', args, { stdin: 'pipe', stdout: { file: temporary }, stderr: 'pipe', buffer: false, reject: false });
  const said = relay(child.stderr!);
  const stdin = child.stdin!;
  // A write after zstd has exited fails with EPIPE; zstd's status says more.
  stdin.on('error', () => {});
  const ended = child.then((result) => result);
  const input = new ZstdInput(stdin, ended);
  try {
    await feed(input);
    stdin.end();
    const result = await ended;
    if (result.exitCode !== 0) throw new FetchContentError(toolFailure('zstd', args, result, said(), `to write ${dest}`));
    await rename(temporary, dest);
  } catch (error) {
    stdin.destroy();
    child.kill('SIGKILL');
    const result = await ended;
    await rm(temporary, { force: true });
    if (!(error instanceof FetchContentError) && result.exitCode !== 0) {
      throw new FetchContentError(toolFailure('zstd', args, result, said(), `to write ${dest}`));
    }
    throw error;
  }
}

/** zstd's input, written with back-pressure; a write fails once zstd has stopped. */
export class ZstdInput {
  constructor(
    private readonly stdin: Writable,
    private readonly ended: Promise<unknown>,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (this.stdin.destroyed || this.stdin.writableEnded) throw new Error('zstd stopped reading');
    if (this.stdin.write(chunk)) return;
    const drained = once(this.stdin, 'drain').then(
      () => true,
      () => false,
    );
    const result = await Promise.race([drained, this.ended.then(() => false)]);
    if (!result) throw new Error('zstd stopped reading');
  }

  /** Copies everything `source` yields. */
  async copy(source: AsyncIterable<Uint8Array>): Promise<void> {
    for await (const chunk of source) await this.write(chunk);
  }
}
