// What a fetched file is, from its first bytes (never from its name), as
// taskgraph's fetch-content decides whether to extract it: a zip; a tar, plain
// or compressed with gzip, bzip2, xz or zstd; or something else, which is kept
// as it is even when the fetch asks for extraction.
import { execa } from 'execa';

export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd';
export type ArchiveFormat = { kind: 'zip' } | { kind: 'tar'; compression: Compression | undefined } | { kind: 'other' };

/** The program that decompresses each, as the image must provide it (tar runs it with -d). */
export const DECOMPRESSORS: Record<Compression, string> = { gzip: 'gzip', bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

const TAR_BLOCK = 512;
/**
 * Compressed bytes gathered before deciding whether a tar is inside. A
 * decompressor needs a whole block to say anything: bzip2's are up to
 * 900 kB, so a few MB always suffice.
 */
export const SNIFF_BYTES = 4 * 1024 * 1024;

export function compressionOf(head: Uint8Array): Compression | 'zip' | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b)) return 'zip';
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  return undefined;
}

/**
 * The format of a file whose first bytes are `head` (SNIFF_BYTES of it, or
 * the whole file when shorter). For a compressed file, the start of `head`
 * is decompressed by the image's program to look for a tar header.
 */
export async function archiveFormat(head: Buffer): Promise<ArchiveFormat> {
  const compression = compressionOf(head);
  if (compression === 'zip') return { kind: 'zip' };
  if (compression === undefined) return isTarHeader(head) ? { kind: 'tar', compression: undefined } : { kind: 'other' };
  const start = await decompressedStart(compression, head);
  return isTarHeader(start) ? { kind: 'tar', compression } : { kind: 'other' };
}

/** The first TAR_BLOCK bytes `head` decompresses to (fewer when it holds fewer). */
async function decompressedStart(compression: Compression, head: Buffer): Promise<Buffer> {
  const program = DECOMPRESSORS[compression];
  // `head` is usually the start of a longer stream: the program complains
  // that it ends early, after writing what it could. Only the output counts.
  const child = execa(program, ['-d', '-c'], { input: head, buffer: false, reject: false, stdout: 'pipe', stderr: 'ignore' });
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      parts.push(chunk);
      total += chunk.length;
      if (total >= TAR_BLOCK) break;
    }
  } catch {
    // The output stream errs when the program is killed or missing; what was read decides.
  }
  child.kill();
  const result = await child;
  if (total === 0 && result.failed && (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new MissingProgram(program);
  }
  return Buffer.concat(parts).subarray(0, TAR_BLOCK);
}

export class MissingProgram extends Error {
  constructor(readonly program: string) {
    super(`${program} is not installed (not found in PATH)`);
  }
}

/**
 * A tar header: the POSIX or GNU magic at offset 257, or, for the old Unix
 * format that has none, a header whose checksum (the sum of its bytes, the
 * checksum field counted as spaces) matches the octal number it records.
 */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < TAR_BLOCK) return false;
  const magic = Buffer.from(block.subarray(257, 265)).toString('latin1');
  if (magic === 'ustar\u000000' || magic === 'ustar  \u0000') return true;
  const field = Buffer.from(block.subarray(148, 156)).toString('latin1').replace(/[\u0000 ]+$/, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  // An all-zero block (the end of an archive) would match with the spaces alone; a name is required.
  return block[0] !== 0 && sum === parseInt(field, 8);
}
