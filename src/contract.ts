// The cache protocol shared by the build-time transformer and run-task
// (DESIGN.md, "The cache protocol"). Both halves import these names instead of
// spelling the strings themselves, so that the two can never drift apart. Only
// constants and small pure functions live here: the runtime bundle pulls this
// file in, and must stay small and free of build-time dependencies.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** Part of every run-task cache name; bump it to invalidate all caches at once. */
export const CACHE_VERSION = 'v3';

/** Requirements recorded in a cache by the first run-task that used it. */
export const REQUIREMENTS_FILE = '.cacherequires';
/** Per-cache audit log: one line per event. */
export const AUDIT_LOG_FILE = '.cachelog';
/** The version line of the requirements. */
export const REQUIREMENTS_VERSION = 1;

/**
 * Exit status run-task uses when a cache is unusable. The build side adds it
 * to `onExitStatus.retry` and `onExitStatus.purgeCaches`, so the worker throws
 * the cache away and runs the task again.
 */
export const EXIT_PURGE_CACHES = 72;

export const ENV_CACHES = 'TASKCLUSTER_CACHES';
export const ENV_VOLUMES = 'TASKCLUSTER_VOLUMES';
export const ENV_UNTRUSTED_CACHES = 'TASKCLUSTER_UNTRUSTED_CACHES';
/** Variables that carry the protocol from the payload to run-task. */
export const PROTOCOL_ENV = [ENV_CACHES, ENV_VOLUMES, ENV_UNTRUSTED_CACHES] as const;
/** Separator of the path lists in TASKCLUSTER_CACHES and TASKCLUSTER_VOLUMES. */
export const PATH_LIST_SEPARATOR = ';';

export const RUNTIME_DIGEST_LENGTH = 20;
export const IMAGE_NAME_DIGEST_LENGTH = 12;
/** Placeholder the build side resolves to the image task's id. */
export const DOCKER_IMAGE_REFERENCE = '<docker-image>';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Digest of the shipped runtime bundle: any change to run-task renames every cache. */
export function runtimeDigest(bundle: Uint8Array): string {
  return sha256Hex(bundle).slice(0, RUNTIME_DIGEST_LENGTH);
}

/** True when a docker-worker command starts with run-task (any `run-task*` file). */
export function isRunTaskCommand(command: readonly unknown[] | undefined): boolean {
  const first = command?.[0];
  return typeof first === 'string' && basename(first).startsWith('run-task');
}

/**
 * The suffix of a cache name. For run-task commands it pins the runtime and the
 * image, so tasks whose caches could disagree never share them.
 */
export function cacheNameSuffix(
  runTask: boolean,
  runtime: string,
  image: { name: string } | { inTree: string },
): string {
  if (!runTask) return CACHE_VERSION;
  const base = `${CACHE_VERSION}-${runtime}`;
  return 'name' in image
    ? base + sha256Hex(image.name).slice(0, IMAGE_NAME_DIGEST_LENGTH)
    : `${base}-${DOCKER_IMAGE_REFERENCE}`;
}

export function cacheNamePrefix(trustDomain: string, level: number | string): string {
  return `${trustDomain}-level-${level}`;
}

export function dockerWorkerCacheName(
  trustDomain: string,
  level: number | string,
  name: string,
  suffix: string,
): string {
  return `${cacheNamePrefix(trustDomain, level)}-${name}-${suffix}`;
}

export function genericWorkerCacheName(trustDomain: string, level: number | string, name: string): string {
  return `${cacheNamePrefix(trustDomain, level)}-${name}`;
}

export const dockerWorkerCacheScope = (fullName: string) => `docker-worker:cache:${fullName}`;
export const genericWorkerCacheScope = (cacheName: string) => `generic-worker:cache:${cacheName}`;

/** `TASKCLUSTER_CACHES` / `TASKCLUSTER_VOLUMES`: sorted paths joined with `;`. */
export function joinPathList(paths: Iterable<string>): string {
  return [...paths].sort().join(PATH_LIST_SEPARATOR);
}

export function splitPathList(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(PATH_LIST_SEPARATOR).filter((p) => p.length > 0);
}

/** The requirement lines of a run as `uid`:`gid`, sorted as they are stored. */
export function requirementsFor(uid: number, gid: number): string[] {
  return [`gid=${gid}`, `uid=${uid}`, `version=${REQUIREMENTS_VERSION}`].sort();
}

/** Contents of `.cacherequires`: sorted lines joined with `\n`, no final newline. */
export function formatRequirements(lines: Iterable<string>): string {
  return [...lines].sort().join('\n');
}

export function parseRequirements(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .sort();
}

export type RequirementsComparison = 'equal' | 'owner-only' | 'other';

/**
 * How a cache's recorded requirements differ from ours. `owner-only` means the
 * only differences are the uid/gid lines, which an untrusted cache may repair
 * by changing the owner.
 */
export function compareRequirements(ours: readonly string[], theirs: readonly string[]): RequirementsComparison {
  const a = new Set(ours);
  const b = new Set(theirs);
  const differing = [...a].filter((l) => !b.has(l)).concat([...b].filter((l) => !a.has(l)));
  if (differing.length === 0) return 'equal';
  const ownerLine = /^(uid|gid)=/;
  return differing.every((l) => ownerLine.test(l)) ? 'owner-only' : 'other';
}

/** The requirements as they appear inside an audit message: `gid=…, uid=…, version=1`. */
export function describeRequirements(lines: readonly string[]): string {
  return [...lines].sort().join(', ');
}

export const auditMessages = {
  created: (requirements: readonly string[]) => `created; requirements: ${describeRequirements(requirements)}`,
  used: () => 'used',
  chown: (requirements: readonly string[]) => `chown; requirements: ${describeRequirements(requirements)}`,
  mismatch: (wanted: readonly string[]) => `requirements mismatch; wanted: ${describeRequirements(wanted)}`,
  missingRequirements: () => `missing ${REQUIREMENTS_FILE}`,
} as const;

/**
 * Control characters and backslashes are escaped so that one entry is always
 * exactly one line, whatever a hostile task id or message contains.
 */
export function escapeAuditText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One audit log line, newline included: `[<UTC ISO-8601> <TASK_ID or UNKNOWN>] <message>`. */
export function formatAuditEntry(time: Date, taskId: string | undefined, message: string): string {
  // A space or `]` in a task id would make the entry ambiguous to read back.
  const who =
    taskId === undefined || taskId === ''
      ? 'UNKNOWN'
      : escapeAuditText(taskId).replace(/[ \]]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  return `[${time.toISOString()} ${who}] ${escapeAuditText(message)}\n`;
}
