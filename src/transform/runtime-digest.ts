// The runtime digest (DESIGN.md): part of every run-task cache name, so that a
// new run-task never meets caches prepared by an older one. The bundle is read
// at most once per path and process, and only when a cache name needs it.
import { readFileSync } from 'node:fs';
import { runtimeDigest } from '../contract.js';
import { runtimeBundlePath } from './package-paths.js';

export type RuntimeDigestResult = { digest: string } | { error: string };

const cache = new Map<string, RuntimeDigestResult>();

export function readRuntimeDigest(bundlePath: string = runtimeBundlePath): RuntimeDigestResult {
  let result = cache.get(bundlePath);
  if (result) return result;
  try {
    result = { digest: runtimeDigest(readFileSync(bundlePath)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${(err as Error).message})`;
    result = {
      error:
        `the run-task bundle ${bundlePath} ${why}; cache names of run-task commands include its digest, ` +
        'so build it first with `npm run build`',
    };
  }
  cache.set(bundlePath, result);
  return result;
}
