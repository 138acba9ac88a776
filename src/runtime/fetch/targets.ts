// Where the bytes of one download go, by what the fetch asks and what the
// file is: a file kept as it is, a zip extracted once complete, or a tar
// extracted while it downloads. Each writes only temporary names until
// `commit`, which runs after the download was verified; `discard` removes
// everything it wrote.
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Compression } from './archive-format.js';
import { startTar, unzip, type TarExtraction } from './extract.js';
import { makeStagingDirectory, moveStagedEntries, removeStaged, temporaryFileName } from './staging.js';

const WRITE_BATCH_BYTES = 1024 * 1024;

export interface Target {
  write(chunk: Uint8Array): Promise<void>;
  /** The download is complete: finish writing (tar extracts its last bytes). */
  finish(): Promise<void>;
  /** The download is verified: move the result into place. Returns what the log says it became. */
  commit(): Promise<string>;
  discard(): Promise<void>;
}

/** A file under a temporary name in `dir`, which only `commit` of a target turns into a result. */
async function temporaryFile(dir: string, name: string) {
  const path = temporaryFileName(dir, name);
  const file: FileHandle = await open(path, 'wx');
  // Chunks arrive 16 to 64 kB at a time; one write per MB costs a fraction of one per chunk.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const chunks = pending;
    pending = [];
    pendingBytes = 0;
    if (chunks.length > 0) await file.writev(chunks);
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await flush();
    } finally {
      await file.close();
    }
  };
  return {
    path,
    write: async (chunk: Uint8Array) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
    },
    close,
    async remove() {
      pending = [];
      await close().catch(() => {});
      await removeStaged(path);
    },
  };
}

/** The file, downloaded as `dir/name` (replacing a file of that name). */
export async function fileTarget(dir: string, name: string, note = ''): Promise<Target> {
  const file = await temporaryFile(dir, name);
  const final = join(dir, name);
  return {
    write: file.write,
    finish: file.close,
    async commit() {
      await rename(file.path, final);
      return `saved as ${final}${note}`;
    },
    discard: file.remove,
  };
}

/** A zip: downloaded to a temporary file, extracted into `dir` once verified, then removed (as fetch-content does). */
export async function zipTarget(dir: string, name: string, label: string): Promise<Target> {
  const file = await temporaryFile(dir, name);
  let staging: string | undefined;
  return {
    write: file.write,
    finish: file.close,
    async commit() {
      staging = await makeStagingDirectory(dir);
      await unzip(file.path, staging, label);
      await moveStagedEntries(staging, dir);
      staging = undefined;
      await file.remove();
      return `extracted into ${dir}`;
    },
    async discard() {
      await file.remove().catch(() => {});
      if (staging !== undefined) await removeStaged(staging).catch(() => {});
    },
  };
}

/** A tar: its bytes go into `tar -x` in a staging directory as they arrive. */
export async function tarTarget(dir: string, compression: Compression | undefined, label: string): Promise<Target> {
  const staging = await makeStagingDirectory(dir);
  let tar: TarExtraction;
  try {
    tar = startTar(staging, compression, label);
  } catch (error) {
    await removeStaged(staging);
    throw error;
  }
  return {
    write: (chunk) => tar.write(chunk),
    finish: () => tar.finish(),
    async commit() {
      await moveStagedEntries(staging, dir);
      return `extracted into ${dir}`;
    },
    async discard() {
      await tar.abort().catch(() => {});
      await removeStaged(staging).catch(() => {});
    },
  };
}
