// docker-worker payloads, with caches and volumes exactly as the cache protocol
// in DESIGN.md says (names, suffixes, scopes, TASKCLUSTER_* variables, exit 72).
import {
  DOCKER_IMAGE_REFERENCE,
  ENV_CACHES,
  ENV_UNTRUSTED_CACHES,
  ENV_VOLUMES,
  EXIT_PURGE_CACHES,
  cacheNameSuffix,
  dockerWorkerCacheName,
  dockerWorkerCacheScope,
  isRunTaskCommand,
  joinPathList,
} from '../../contract.js';
import type { PayloadBuilder, PayloadInput, PayloadOutput, ScopeValue } from './types.js';
import { artifactExpires, workerError } from './types.js';
import { isRecord } from '../plain-data.js';

/** The artifact every image task publishes and every in-tree image user loads. */
export const IMAGE_ARTIFACT = 'public/image.tar.zst';
const TASK_REFERENCE = 'task-reference';

/** `payload.cache` of a docker-worker task as a plain map (the builder wraps it in a task reference). */
export function payloadCacheMap(payload: Record<string, unknown>): Record<string, unknown> {
  const cache = payload.cache;
  if (!isRecord(cache)) return {};
  const inner = cache[TASK_REFERENCE];
  return Object.keys(cache).length === 1 && isRecord(inner) ? inner : cache;
}

/** Label of the task that builds in-tree image `name`. */
export const dockerImageLabel = (name: string) => `docker-image-${name}`;

const FEATURE_FLAGS: [string, string][] = [
  ['taskcluster-proxy', 'taskclusterProxy'],
  ['chain-of-trust', 'chainOfTrust'],
  ['allow-ptrace', 'allowPtrace'],
  ['docker-in-docker', 'dind'],
];

interface CacheEntry {
  type?: string;
  name: string;
  'mount-point': string;
  'skip-untrusted'?: boolean;
}

const intList = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

type ImageChoice =
  | { kind: 'name'; name: string }
  | { kind: 'in-tree'; name: string }
  | { kind: 'indexed'; namespace: string };

function imageChoice(input: PayloadInput, out: PayloadOutput): ImageChoice | undefined {
  const image = input.worker['docker-image'];
  if (typeof image === 'string') return { kind: 'name', name: image };
  if (isRecord(image) && typeof image['in-tree'] === 'string') return { kind: 'in-tree', name: image['in-tree'] };
  if (isRecord(image) && typeof image.indexed === 'string') return { kind: 'indexed', namespace: image.indexed };
  out.diagnostics.push(
    workerError(input, ['docker-image'], 'docker-image is missing or malformed', 'an image name, {in-tree: NAME} or {indexed: NAMESPACE}'),
  );
  return undefined;
}

const suffixes = new Map<string, string>();
/** The run-task cache suffix of an image: one SHA-256 per image and run, not one per task. */
function runTaskSuffix(runtime: string, choice: ImageChoice): string {
  const key = `${runtime}\0${choice.kind}\0${choice.kind === 'indexed' ? choice.namespace : choice.name}`;
  let suffix = suffixes.get(key);
  if (suffix === undefined) {
    if (choice.kind === 'in-tree') suffix = cacheNameSuffix(true, runtime, { inTree: choice.name });
    // An indexed image is identified by its namespace, as a registry image by its name.
    else suffix = cacheNameSuffix(true, runtime, { name: choice.kind === 'indexed' ? choice.namespace : choice.name });
    if (suffixes.size > 10_000) suffixes.clear();
    suffixes.set(key, suffix);
  }
  return suffix;
}

export const buildDockerWorkerPayload: PayloadBuilder = (input, context) => {
  const worker = input.worker;
  const out: PayloadOutput = { payload: {}, scopes: [], dependencies: {}, diagnostics: [], warnings: [] };
  const level = String(context.level);
  const untrusted = level === '1';

  const choice = imageChoice(input, out);
  let image: unknown;
  const volumes = new Set<string>(Array.isArray(worker.volumes) ? (worker.volumes as string[]) : []);
  if (choice?.kind === 'name') image = choice.name;
  else if (choice?.kind === 'indexed') image = { type: 'indexed-image', namespace: choice.namespace, path: IMAGE_ARTIFACT };
  else if (choice?.kind === 'in-tree') {
    out.dependencies['docker-image'] = dockerImageLabel(choice.name);
    image = { path: IMAGE_ARTIFACT, taskId: { 'task-reference': DOCKER_IMAGE_REFERENCE }, type: 'task-image' };
    const found = context.images.volumesOf(choice.name);
    if ('error' in found) {
      out.diagnostics.push(workerError(input, ['docker-image', 'in-tree'], found.error));
    } else {
      for (const v of found.volumes) {
        if (volumes.has(v)) {
          const index = (worker.volumes as string[]).indexOf(v);
          out.diagnostics.push({
            ...workerError(input, ['volumes', index], `volume ${v} is declared both here and by a VOLUME line of ${found.dockerfile}`),
            hint: 'remove it from worker.volumes: the Dockerfile already declares it',
          });
        }
        volumes.add(v);
      }
    }
  }

  const env: Record<string, unknown> = { ...(isRecord(worker.env) ? worker.env : {}) };
  const payload: Record<string, unknown> = { image, env };
  out.payload = payload;

  const command = Array.isArray(worker.command) ? worker.command : undefined;
  if (command) payload.command = command;
  if (typeof worker['max-run-time'] === 'number') payload.maxRunTime = worker['max-run-time'];
  const runTask = isRunTaskCommand(command);

  if (input.needsSccache) {
    env.USE_SCCACHE = '1';
    env.SCCACHE_IDLE_TIMEOUT = '0';
  } else {
    env.SCCACHE_DISABLE = '1';
  }

  // Exit status 72 is run-task's "this cache is unusable": the worker purges
  // the caches and runs the task again.
  const retry = intList(worker['retry-exit-status']);
  const purge = intList(worker['purge-caches-exit-status']);
  if (runTask) {
    if (!retry.includes(EXIT_PURGE_CACHES)) retry.push(EXIT_PURGE_CACHES);
    if (!purge.includes(EXIT_PURGE_CACHES)) purge.push(EXIT_PURGE_CACHES);
  }
  const onExitStatus: Record<string, number[]> = {};
  if (retry.length || worker['retry-exit-status'] !== undefined) onExitStatus.retry = retry;
  if (purge.length || worker['purge-caches-exit-status'] !== undefined) onExitStatus.purgeCaches = purge;
  payload.onExitStatus = onExitStatus;

  if (Array.isArray(worker.artifacts)) {
    const artifacts: Record<string, unknown> = {};
    (worker.artifacts as Record<string, unknown>[]).forEach((a, index) => {
      artifacts[String(a.name)] = { path: a.path, type: a.type, expires: artifactExpires(input, out, index, a['expires-after']) };
    });
    payload.artifacts = artifacts;
  }

  // Scopes in taskgraph's order: features, capabilities, then caches.
  const features: Record<string, boolean> = {};
  for (const [key, feature] of FEATURE_FLAGS) if (worker[key] === true) features[feature] = true;
  if (features.allowPtrace) out.scopes.push('docker-worker:feature:allowPtrace');
  // sccache reaches its buckets through the proxy, with the level's credentials.
  if (input.needsSccache) {
    features.taskclusterProxy = true;
    out.scopes.push(`assume:project:taskcluster:${context.trustDomain}:level-${level}-sccache-buckets`);
  }
  if (Object.keys(features).length) payload.features = features;

  // Each capability needs its scope: the worker type decides who may use it.
  const capabilities: Record<string, unknown> = {};
  const devices: Record<string, boolean> = {};
  if (worker['loopback-audio'] === true) devices.loopbackAudio = true;
  if (worker['loopback-video'] === true) devices.loopbackVideo = true;
  if (Object.keys(devices).length) capabilities.devices = devices;
  for (const device of Object.keys(devices)) out.scopes.push(`docker-worker:capability:device:${device}`);
  if (worker.privileged === true) {
    capabilities.privileged = true;
    out.scopes.push('docker-worker:capability:privileged');
  }
  if (worker['disable-seccomp'] === true) {
    capabilities.disableSeccomp = true;
    out.scopes.push('docker-worker:capability:disableSeccomp');
  }
  if (Object.keys(capabilities).length) payload.capabilities = capabilities;

  const caches = Array.isArray(worker.caches) ? (worker.caches as CacheEntry[]) : [];
  let cachesWritten = false;
  if (worker.caches !== undefined) {
    let suffix: string | undefined;
    if (runTask && choice && caches.length > 0) {
      const digest = context.runtimeDigest();
      if ('error' in digest) {
        out.diagnostics.push(workerError(input, ['caches'], `cannot name the caches of this run-task command: ${digest.error}`));
      } else {
        suffix = runTaskSuffix(digest.digest, choice);
      }
    } else if (!runTask || caches.length === 0) {
      suffix = cacheNameSuffix(false, '', { name: '' });
    }
    if (suffix !== undefined) {
      const names: Record<string, string> = {};
      const mountPoints: string[] = [];
      for (const cache of caches) {
        // Untrusted (level 1) tasks must not write caches that trusted tasks read.
        if (cache['skip-untrusted'] && untrusted) continue;
        const name = dockerWorkerCacheName(context.trustDomain, level, cache.name, suffix);
        names[name] = cache['mount-point'];
        mountPoints.push(cache['mount-point']);
        // As taskgraph writes them: every cache scope a task reference, named or not.
        out.scopes.push({ 'task-reference': dockerWorkerCacheScope(name) } satisfies ScopeValue);
      }
      // Cache names may hold <docker-image>, which becomes the image task's id:
      // the whole map is a task reference, as taskgraph writes it (also when
      // every cache was skipped), and output resolution substitutes the
      // markers in its keys (src/transform/output/references.ts).
      payload.cache = { [TASK_REFERENCE]: names };
      cachesWritten = true;
      if (runTask) env[ENV_CACHES] = joinPathList(mountPoints);
    }
  }

  if (runTask && volumes.size > 0) env[ENV_VOLUMES] = joinPathList(volumes);
  if (cachesWritten && untrusted) env[ENV_UNTRUSTED_CACHES] = '1';


  return out;
};
