// One artifact: download (retried), count and hash every byte, verify, then
// keep or extract. The first bytes decide where the rest goes (targets.ts):
// they are held until there are enough to tell a tar from a zip from anything
// else (archive-format.ts).
import { createHash } from 'node:crypto';
import { logLine } from '../log.js';
import { archiveFormat, MissingProgram, SNIFF_BYTES } from './archive-format.js';
import { FetchFailure } from './fetch-failure.js';
import { openDownload } from './http-download.js';
import { withRetries } from './retry.js';
import type { FetchSettings } from './settings.js';
import { fileTarget, tarTarget, zipTarget, type Target } from './targets.js';

export interface FetchPlan {
  /** The artifact's name, which every line about it starts with. */
  label: string;
  url: string;
  /** Where the file or the archive's content goes. */
  dir: string;
  /** The file's name there: the last part of the artifact's name. */
  name: string;
  extract: boolean;
  /** The expected digest, when the fetch asks for verify-hash. */
  sha256: string | undefined;
  /** Where the expected digest comes from, for the mismatch message; the chain of trust unless said. */
  sha256Origin?: string;
  /** The expected length in bytes (fetch-content static-url --size). */
  size?: number;
  /** Request headers (fetch-content static-url -H). */
  headers?: Readonly<Record<string, string>>;
}

export interface Fetched {
  bytes: number;
  sha256: string;
  seconds: number;
  /** What became of it: `extracted into DIR`, `saved as FILE`. */
  outcome: string;
}

/** How often a long download says how far it is, so that the log shows it alive. */
const PROGRESS_SECONDS = 30;

export function fetchOne(plan: FetchPlan, settings: FetchSettings): Promise<Fetched> {
  return withRetries(plan.label, settings, () => attempt(plan, settings));
}

async function attempt(plan: FetchPlan, settings: FetchSettings): Promise<Fetched> {
  const started = performance.now();
  const download = await openDownload(plan.url, settings.idleTimeoutSeconds, plan.headers);
  const expected = download.expectedBytes;
  if (plan.size !== undefined && expected !== undefined && expected !== plan.size) {
    download.cancel();
    // As fetch-content: checked before the transfer, and tried again (a cache in the way may hold a stale copy).
    throw new FetchFailure(`size mismatch: expected ${plan.size} bytes, the server announces ${expected} (Content-Length)`, true);
  }
  const hash = createHash('sha256');
  let received = 0;
  let target: Target | undefined;
  const head: Buffer[] = [];
  let headBytes = 0;
  const progress = setInterval(() => {
    const of = expected !== undefined ? ` of ${megabytes(expected)}` : '';
    logLine('fetches', `${plan.label}: ${megabytes(received)}${of} received`);
  }, PROGRESS_SECONDS * 1000);
  // How far the transfer got, for a failure of the network in the middle of it.
  const soFar = () => `after ${received}${expected !== undefined ? ` of ${expected}` : ''} bytes`;
  try {
    for await (const chunk of transferred(download.chunks, soFar)) {
      hash.update(chunk);
      received += chunk.length;
      if (expected !== undefined && received > expected) {
        throw new FetchFailure(`the server sent more than the ${expected} bytes it announced`, true);
      }
      if (target !== undefined) {
        await target.write(chunk);
        continue;
      }
      head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      headBytes += chunk.length;
      if (!plan.extract || headBytes >= SNIFF_BYTES) target = await openTarget(plan, head.splice(0));
    }
    target ??= await openTarget(plan, head.splice(0));
    if (expected !== undefined && received !== expected) {
      throw new FetchFailure(`the transfer ended after ${received} of the ${expected} bytes announced`, true);
    }
    if (plan.size !== undefined && received !== plan.size) {
      throw new FetchFailure(`size mismatch: expected ${plan.size} bytes, received ${received}`, true);
    }
    const sha256 = hash.digest('hex');
    if (plan.sha256 !== undefined && sha256 !== plan.sha256) {
      // A transfer that went wrong gives another digest each time: tried again, as fetch-content does.
      const origin = plan.sha256Origin ?? ' (from the chain of trust)';
      throw new FetchFailure(`sha256 mismatch: expected ${plan.sha256}${origin}, the ${received} bytes received have ${sha256}`, true);
    }
    await target.finish();
    const outcome = await target.commit();
    return { bytes: received, sha256, seconds: (performance.now() - started) / 1000, outcome };
  } catch (error) {
    download.cancel();
    await target?.discard();
    throw error;
  } finally {
    clearInterval(progress);
  }
}

/** The chunks of a transfer; its failure says how far it got. */
async function* transferred(chunks: AsyncIterable<Uint8Array>, soFar: () => string): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof FetchFailure && error.retryable) throw new FetchFailure(`${error.message} (${soFar()})`, true);
    throw error;
  }
}

/** Where the download goes, decided from its first bytes, which are written there first. */
async function openTarget(plan: FetchPlan, head: Buffer[]): Promise<Target> {
  const start = Buffer.concat(head);
  let target: Target;
  if (!plan.extract) {
    target = await fileTarget(plan.dir, plan.name);
  } else {
    let format;
    try {
      format = await archiveFormat(start);
    } catch (error) {
      if (error instanceof MissingProgram) throw new FetchFailure(`${error.message}; the image needs it to extract this fetch`, false);
      throw error;
    }
    if (format.kind === 'tar') target = await tarTarget(plan.dir, format.compression, plan.label);
    else if (format.kind === 'zip') target = await zipTarget(plan.dir, plan.name, plan.label);
    else target = await fileTarget(plan.dir, plan.name, ' (not an archive: neither a zip nor a tar, plain or compressed with gzip, bzip2, xz or zstd)');
  }
  try {
    if (start.length > 0) await target.write(start);
  } catch (error) {
    await target.discard();
    throw error;
  }
  return target;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
