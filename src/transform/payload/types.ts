// What a payload builder receives and returns. One builder per worker
// implementation; the task transform calls the one the worker alias names.
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import type { DockerImageCatalog } from '../docker/image-catalog.js';
import type { SourceMap } from '../model.js';
import type { RuntimeDigestResult } from '../runtime-digest.js';
import { RELATIVE_TIME_EXPECTED, isoAfter, parseRelativeTime } from '../transforms/relative-time.js';

export interface PayloadInput {
  label: string;
  /** The task description's `worker` section, keyed-by already resolved. */
  worker: Record<string, unknown>;
  /** Positions of the task description; the worker section is under `['worker', …]`. */
  source: SourceMap;
  /** `<provisioner>/<worker-type>`, as generic-worker scopes spell it. */
  workerType: string;
  /** The worker alias's os; absent for the built-in worker types. */
  os?: string;
  /** The task's `expires` (ISO), which docker-worker artifacts share. */
  expires: string;
  /** Seconds since the epoch that relative times (artifact `expires-after`) count from. */
  buildDate: number;
  needsSccache: boolean;
}

export interface PayloadContext {
  trustDomain: string;
  level: string;
  /** The runtime digest, read on first use only (tasks without run-task caches never need it). */
  runtimeDigest(): RuntimeDigestResult;
  images: DockerImageCatalog;
}

/** A scope, or a `{"task-reference": …}` whose text names a dependency. */
export type ScopeValue = string | { 'task-reference': string };

export interface PayloadOutput {
  payload: Record<string, unknown>;
  /** Scopes the payload needs, added to the task's own. */
  scopes: ScopeValue[];
  /** Dependencies the payload refers to (name → label), e.g. `docker-image`. */
  dependencies: Record<string, string>;
  diagnostics: Diagnostic[];
  warnings: string[];
}

export type PayloadBuilder = (input: PayloadInput, context: PayloadContext) => PayloadOutput;

/** A located error about the worker section. */
export function workerError(input: PayloadInput, path: YamlPath, message: string, expected?: string): Diagnostic {
  const full = ['worker', ...path];
  const d: Diagnostic = { severity: 'error', message, location: input.source.locate(full), path: full };
  if (expected) d.expected = expected;
  return d;
}

/**
 * `expires` of an artifact: its own `expires-after` from the build date, else
 * the task's. A malformed duration is a located error.
 */
export function artifactExpires(input: PayloadInput, out: PayloadOutput, index: number, expiresAfter: unknown): string {
  if (typeof expiresAfter !== 'string') return input.expires;
  const seconds = parseRelativeTime(expiresAfter);
  if (seconds === undefined) {
    out.diagnostics.push(
      workerError(input, ['artifacts', index, 'expires-after'], `"${expiresAfter}" is not a relative time`, RELATIVE_TIME_EXPECTED),
    );
    return input.expires;
  }
  return isoAfter(input.buildDate, seconds);
}
