// `fetch-content static-url`: one URL downloaded (with the request headers
// given), its size and sha256 verified, optionally its GPG signature, then
// either renamed to DEST or repacked into it by taskgraph's rules
// (repack-rules.ts). The download goes to a private directory beside DEST,
// which is removed whatever happens: DEST appears complete or not at all.
import { mkdir, mkdtemp, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { logLine } from '../log.js';
import { fetchOne } from '../fetch/fetch-one.js';
import { downloadSmall } from '../fetch/http-download.js';
import { GaveUp, withRetries } from '../fetch/retry.js';
import { readFetchSettings } from '../fetch/settings.js';
import { removeStaged } from '../fetch/staging.js';
import { FetchContentError } from './failure.js';
import { gpgVerify } from './gpg-verify.js';
import { repack } from './repack.js';
import { shouldRepack, suffixes } from './repack-rules.js';
import { TEMPORARY_PREFIX } from './zstd-file.js';

export interface StaticUrlArgs {
  url: string;
  dest: string;
  sha256: string;
  size: number;
  headers: Record<string, string>;
  stripComponents: number;
  addPrefix: string;
  forceArchive: boolean;
  gpg: { sigUrl: string; keyEnv: string } | undefined;
}

/** A detached signature is a few hundred bytes. */
const SIGNATURE_LIMIT = 1024 * 1024;

export async function staticUrl(args: StaticUrlArgs, env: NodeJS.ProcessEnv): Promise<void> {
  const settings = readFetchSettings(env);
  const dest = resolve(args.dest);
  let gpg: { key: Buffer; signature: Buffer } | undefined;
  if (args.gpg !== undefined) {
    const key = env[args.gpg.keyEnv];
    if (!key) {
      throw new FetchContentError(`--gpg-key-env ${args.gpg.keyEnv}: the environment variable ${args.gpg.keyEnv} is not set; it must hold the armored public key`);
    }
    const { sigUrl } = args.gpg;
    logLine('fetch-content', `downloading the GPG signature ${sigUrl}`);
    const signature = await withRetries(sigUrl, settings, () => downloadSmall(sigUrl, settings.idleTimeoutSeconds, SIGNATURE_LIMIT)).catch((error: unknown) => {
      throw new FetchContentError(`cannot download the GPG signature ${sigUrl}: ${why(error)}`);
    });
    gpg = { key: Buffer.from(key, 'utf8'), signature };
  }

  await mkdir(dirname(dest), { recursive: true });
  const name = downloadName(args.url, basename(dest));
  const work = await mkdtemp(join(dirname(dest), TEMPORARY_PREFIX));
  try {
    logLine('fetch-content', `downloading ${args.url}`);
    const fetched = await fetchOne(
      {
        label: args.url,
        url: args.url,
        dir: work,
        name,
        extract: false,
        sha256: args.sha256,
        sha256Origin: ' (--sha256)',
        size: args.size,
        headers: args.headers,
      },
      settings,
    ).catch((error: unknown) => {
      throw new FetchContentError(`cannot download ${args.url}: ${why(error)}`);
    });
    logLine('fetch-content', `${args.url}: ${fetched.bytes} bytes, sha256 ${fetched.sha256}, size and sha256 verified, in ${fetched.seconds.toFixed(2)} s`);
    const downloaded = join(work, name);
    if (gpg !== undefined) await gpgVerify(downloaded, args.url, gpg.key, gpg.signature);
    if (args.forceArchive || shouldRepack(name, basename(dest), args.stripComponents, args.addPrefix)) {
      const outcome = await repack(downloaded, name, dest, {
        stripComponents: args.stripComponents,
        prefix: args.addPrefix,
        forceArchive: args.forceArchive,
        scratch: work,
      });
      logLine('fetch-content', `${args.url}: ${outcome}`);
    } else {
      await rename(downloaded, dest);
      logLine('fetch-content', `${args.url}: saved as ${dest}`);
    }
  } finally {
    await removeStaged(work);
  }
}

/**
 * The name the download is known by, which the repack rules compare with
 * DEST's: DEST's own when the URL's last part ends with DEST's extensions,
 * else the URL's last part (as it is in the URL, not percent-decoded, as
 * fetch-content takes it).
 */
export function downloadName(url: string, destName: string): string {
  const last = new URL(url).pathname.split('/').at(-1) ?? '';
  if (last === '' || last === '.' || last === '..' || last.endsWith(suffixes(destName).join(''))) return destName;
  return last;
}

function why(error: unknown): string {
  if (error instanceof GaveUp) return error.attempts > 1 ? `${error.message} (attempt ${error.attempts}, the last)` : error.message;
  return error instanceof Error ? error.message : String(error);
}
