// `verify-hash: true`: the expected sha256 of the artifact is the one the
// producing task recorded in its public/chain-of-trust.json (written by the
// worker when the task has the chain-of-trust feature), under
// artifacts.<name>.sha256, as taskgraph's fetch-content reads it.
import { artifactUrl, CHAIN_OF_TRUST_ARTIFACT } from './artifact-url.js';
import { FetchFailure } from './fetch-failure.js';
import { downloadSmall } from './http-download.js';
import type { FetchSpec } from './moz-fetches.js';
import { withRetries } from './retry.js';
import type { FetchSettings } from './settings.js';

/** A chain-of-trust document lists every artifact of its task; a few MB is plenty. */
const LIMIT = 16 * 1024 * 1024;

export async function expectedSha256(spec: FetchSpec, env: NodeJS.ProcessEnv, settings: FetchSettings): Promise<{ sha256: string; url: string }> {
  const url = artifactUrl(spec.task, CHAIN_OF_TRUST_ARTIFACT, env);
  const sha256 = await withRetries(`${spec.artifact} (its ${CHAIN_OF_TRUST_ARTIFACT})`, settings, async () => {
    const body = await downloadSmall(url, settings.idleTimeoutSeconds, LIMIT);
    return digestIn(body, spec.artifact, url);
  });
  return { sha256, url };
}

function digestIn(body: Buffer, artifact: string, url: string): string {
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new FetchFailure(`${url} is not JSON (${(error as Error).message})`, false);
  }
  const artifacts = isRecord(document) ? document.artifacts : undefined;
  if (!isRecord(artifacts)) throw new FetchFailure(`${url} has no "artifacts" object, so it is not a chain-of-trust document`, false);
  const entry = artifacts[artifact];
  const sha256 = isRecord(entry) ? entry.sha256 : undefined;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256)) {
    throw new FetchFailure(
      entry === undefined
        ? `${url} lists no artifact ${artifact}, so its sha256 is unknown (did the task make it, under this name?)`
        : `${url} gives no valid sha256 for ${artifact} (expected 64 hexadecimal digits under artifacts.${artifact}.sha256)`,
      false,
    );
  }
  return sha256.toLowerCase();
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
