// What the cache checks need to know about one generated task, read from the
// payload it will really run with (not from the YAML): its caches by their
// full names, its volumes, whether the command is run-task, who run-task runs
// the command as (--user/--group, default worker/worker) and its checkouts.
import { payloadCacheMap } from '../transform/payload/docker-worker.js';
import { CACHE_VERSION, ENV_UNTRUSTED_CACHES, ENV_VOLUMES, isRunTaskCommand, splitPathList } from '../contract.js';
import type { Location, YamlPath } from '../transform/diagnostics.js';
import type { GeneratedTask, LoadedTask, SourceMap } from '../transform/model.js';
import { isRecord } from '../transform/plain-data.js';

export interface CacheMount {
  /** The name the worker shares the cache by (the full payload name). */
  name: string;
  /** The name as written in the YAML (`cargo`), for messages: the same at every level. */
  declaredName: string;
  mountPoint: string;
  path: YamlPath;
  /** Where the path is written; positions are computed only when a finding needs one (they cost a YAML re-parse). */
  source: SourceMap;
}

export function cacheLocation(cache: CacheMount): Location | undefined {
  return cache.source.locate(cache.path);
}

export interface TaskFacts {
  task: GeneratedTask;
  loaded?: LoadedTask;
  runTask: boolean;
  /** `user:group` the command runs as, when the command is run-task. */
  runsAs?: string;
  caches: CacheMount[];
  /** TASKCLUSTER_UNTRUSTED_CACHES is set: run-task (as root) repairs a uid/gid difference by changing the owner. */
  untrustedCaches: boolean;
  volumes: string[];
  checkouts: { prefix: string; path: string }[];
  /** The task's scopes, with `{task-reference: …}` wrappers of an unresolved graph taken off. */
  scopes: string[];
  /** The trust level the task runs at (`1`, `3`), when known. */
  level?: string;
}

function scopesOf(definition: Record<string, unknown>): string[] {
  const scopes = Array.isArray(definition.scopes) ? definition.scopes : [];
  const out: string[] = [];
  for (const s of scopes) {
    const text = isRecord(s) ? s['task-reference'] : s;
    if (typeof text === 'string') out.push(text);
  }
  return out;
}

/** The run-task options before `--`, as run-task itself reads them. */
export function runTaskOptions(command: readonly unknown[]): { user: string; group: string; checkouts: { prefix: string; path: string }[] } {
  const result = { user: 'worker', group: 'worker', checkouts: [] as { prefix: string; path: string }[] };
  for (let i = 1; i < command.length; i++) {
    const arg = command[i];
    if (typeof arg !== 'string' || arg === '--') break;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    let value: unknown = eq === -1 ? undefined : arg.slice(eq + 1);
    const takesValue = name === '--user' || name === '--group' || name === '--task-cwd' || /^--[A-Za-z0-9][\w-]*-checkout$/.test(name);
    if (!takesValue) continue;
    if (value === undefined) value = command[++i];
    if (typeof value !== 'string') continue;
    if (name === '--user') result.user = value;
    else if (name === '--group') result.group = value;
    else if (name.endsWith('-checkout')) result.checkouts.push({ prefix: name.slice(2, -'-checkout'.length), path: value });
  }
  return result;
}

/**
 * The place in the task's YAML for a cache: the `worker.caches` entry with
 * that mount point when the task lists one, else the nearest thing that does
 * (`worker.caches`, `run` whose transform added it, or the task).
 */
function cacheEntry(
  loaded: LoadedTask | undefined,
  listKey: string,
  dirKey: string,
  nameKey: string,
  mountPoint: string,
  taken: Set<number>,
): { path: YamlPath; declaredName?: string } {
  const worker = loaded?.value.worker;
  const list = isRecord(worker) ? worker[listKey] : undefined;
  if (Array.isArray(list)) {
    // Two entries may share a mount point (the very mistake reported): each payload cache takes its own entry.
    const index = list.findIndex((c, i) => !taken.has(i) && isRecord(c) && c[dirKey] === mountPoint);
    if (index !== -1) {
      taken.add(index);
      const name = (list[index] as Record<string, unknown>)[nameKey];
      return { path: ['worker', listKey, index, dirKey], declaredName: typeof name === 'string' ? name : undefined };
    }
    return { path: ['worker', listKey] };
  }
  if (loaded && loaded.value.run !== undefined) return { path: ['run'] };
  return { path: [] };
}

/**
 * A cache that the YAML does not list (a transform added it) is named in
 * messages without what differs by level and build: `<trust-domain>-level-N-`
 * in front and `-v3…` behind.
 */
export function shortCacheName(fullName: string, namePrefix: string | undefined): string {
  let name = namePrefix && fullName.startsWith(namePrefix) ? fullName.slice(namePrefix.length) : fullName;
  const version = name.lastIndexOf(`-${CACHE_VERSION}`);
  if (version > 0) name = name.slice(0, version);
  return name;
}

/** `namePrefix`: `<trust-domain>-level-<level>-`, the part of every cache name that only says the level. */
export function taskFacts(task: GeneratedTask, loaded: LoadedTask | undefined, namePrefix?: string): TaskFacts {
  const payload = isRecord(task.task.payload) ? task.task.payload : {};
  const command = Array.isArray(payload.command) ? payload.command : [];
  const env = isRecord(payload.env) ? payload.env : {};
  const caches: CacheMount[] = [];
  let volumes: string[] = [];
  let runTask = false;
  let runsAs: string | undefined;
  let checkouts: { prefix: string; path: string }[] = [];
  const source = loaded?.source ?? task.source;
  if (task.workerImplementation === 'docker-worker') {
    runTask = isRunTaskCommand(command);
    {
      const taken = new Set<number>();
      for (const [name, mountPoint] of Object.entries(payloadCacheMap(payload))) {
        if (typeof mountPoint !== 'string') continue;
        const { path, declaredName } = cacheEntry(loaded, 'caches', 'mount-point', 'name', mountPoint, taken);
        caches.push({ name, declaredName: declaredName ?? shortCacheName(name, namePrefix), mountPoint, path, source });
      }
    }
    if (runTask) {
      const options = runTaskOptions(command);
      runsAs = `${options.user}:${options.group}`;
      checkouts = options.checkouts;
      volumes = splitPathList(typeof env[ENV_VOLUMES] === 'string' ? env[ENV_VOLUMES] : undefined);
    }
  } else if (Array.isArray(payload.mounts)) {
    const taken = new Set<number>();
    for (const mount of payload.mounts) {
      if (!isRecord(mount) || typeof mount.cacheName !== 'string' || typeof mount.directory !== 'string') continue;
      const { path, declaredName } = cacheEntry(loaded, 'mounts', 'directory', 'cache-name', mount.directory, taken);
      caches.push({ name: mount.cacheName, declaredName: declaredName ?? shortCacheName(mount.cacheName, namePrefix), mountPoint: mount.directory, path, source });
    }
  }
  return { task, loaded, runTask, runsAs, caches, untrustedCaches: env[ENV_UNTRUSTED_CACHES] === '1', volumes, checkouts, scopes: scopesOf(task.task) };
}
