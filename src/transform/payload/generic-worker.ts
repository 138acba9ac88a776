// generic-worker payloads. Cache mounts get the protocol's names and scopes
// (DESIGN.md: `<trust-domain>-level-<level>-<name>`, `generic-worker:cache:…`).
import { genericWorkerCacheName, genericWorkerCacheScope } from '../../contract.js';
import type { PayloadBuilder, PayloadOutput } from './types.js';
import { artifactExpires, workerError } from './types.js';
import { isRecord } from '../plain-data.js';

/**
 * Exit codes that mean "the process was interrupted", not "the task failed",
 * on Windows: a forced kill at system shutdown, and an interrupt.
 */
const WINDOWS_INTERRUPTED = [1073807364, 3221225786];

export const buildGenericWorkerPayload: PayloadBuilder = (input, context) => {
  const worker = input.worker;
  const out: PayloadOutput = { payload: {}, scopes: [], dependencies: {}, diagnostics: [], warnings: [] };
  const os = typeof worker.os === 'string' ? worker.os : input.os;
  const windows = os === 'windows';

  // On POSIX every command is an argv list; a flat list of strings is one command.
  let command = Array.isArray(worker.command) ? (worker.command as unknown[]) : [];
  if (!windows && command.length > 0 && !command.some(Array.isArray)) command = [command];
  if (windows && command.some(Array.isArray)) {
    out.diagnostics.push(workerError(input, ['command'], 'on Windows each command is one string, not a list', 'a list of strings'));
  }
  const payload: Record<string, unknown> = { command, maxRunTime: worker['max-run-time'] };
  out.payload = payload;

  const onExitStatus: Record<string, number[]> = {};
  if (Array.isArray(worker['retry-exit-status'])) onExitStatus.retry = [...(worker['retry-exit-status'] as number[])];
  if (Array.isArray(worker['purge-caches-exit-status'])) {
    onExitStatus.purgeCaches = [...(worker['purge-caches-exit-status'] as number[])];
  }
  if (windows) onExitStatus.retry = [...(onExitStatus.retry ?? []), ...WINDOWS_INTERRUPTED];
  if (Object.keys(onExitStatus).length) payload.onExitStatus = onExitStatus;

  const env: Record<string, unknown> = { ...(isRecord(worker.env) ? worker.env : {}) };
  if (input.needsSccache) {
    env.USE_SCCACHE = '1';
    env.SCCACHE_IDLE_TIMEOUT = '0';
  } else {
    env.SCCACHE_DISABLE = '1';
  }
  payload.env = env;

  if (Array.isArray(worker.artifacts) && worker.artifacts.length) {
    payload.artifacts = (worker.artifacts as Record<string, unknown>[]).map((a, index) => {
      const artifact: Record<string, unknown> = { path: a.path, type: a.type };
      if (a.name !== undefined) artifact.name = a.name;
      if (a['expires-after'] !== undefined) artifact.expires = artifactExpires(input, out, index, a['expires-after']);
      return artifact;
    });
  }

  // Mounts are written in taskgraph's spelling (cache-name, task-id) and renamed
  // to generic-worker's (cacheName, taskId).
  if (Array.isArray(worker.mounts) && worker.mounts.length) {
    payload.mounts = (worker.mounts as Record<string, unknown>[]).map((mount, index) => {
      const m: Record<string, unknown> = {};
      if (typeof mount['cache-name'] === 'string') {
        const cacheName = genericWorkerCacheName(context.trustDomain, context.level, mount['cache-name']);
        m.cacheName = cacheName;
        out.scopes.push(genericWorkerCacheScope(cacheName));
      }
      if (isRecord(mount.content)) {
        const content: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(mount.content)) content[k === 'task-id' ? 'taskId' : k] = v;
        if (typeof content.artifact === 'string' && !content.artifact.startsWith('public/')) {
          out.scopes.push(`queue:get-artifact:${content.artifact}`);
        }
        m.content = content;
      }
      if (mount.directory !== undefined) m.directory = mount.directory;
      if (mount.file !== undefined) m.file = mount.file;
      if (mount.format !== undefined) m.format = mount.format;
      if (m.cacheName === undefined && m.content === undefined) {
        out.diagnostics.push(
          workerError(input, ['mounts', index], 'a mount needs either cache-name or content', 'cache-name + directory, or content + file/directory'),
        );
      }
      if ((m.directory === undefined) === (m.file === undefined)) {
        out.diagnostics.push(workerError(input, ['mounts', index], 'a mount needs exactly one of directory and file'));
      }
      return m;
    });
  }

  const osGroups = Array.isArray(worker['os-groups']) ? (worker['os-groups'] as string[]) : [];
  if (osGroups.length) {
    if (!windows) {
      out.warnings.push(
        `worker.os-groups (${osGroups.join(', ')}) on ${os ?? 'a POSIX os'}: generic-worker implements OS groups only on Windows and resolves such a task as malformed-payload; written as taskgraph writes it`,
      );
    }
    payload.osGroups = osGroups;
    for (const group of osGroups) out.scopes.push(`generic-worker:os-group:${input.workerType}/${group}`);
  }

  const features: Record<string, boolean> = {};
  if (worker['chain-of-trust'] === true) features.chainOfTrust = true;
  if (worker['taskcluster-proxy'] === true) features.taskclusterProxy = true;
  if (worker['run-as-administrator'] === true) {
    features.runAsAdministrator = true;
    out.scopes.push(`generic-worker:run-as-administrator:${input.workerType}`);
  }
  if (worker['run-task-as-current-user'] === true) {
    features.runTaskAsCurrentUser = true;
    out.scopes.push(`generic-worker:run-task-as-current-user:${input.workerType}`);
  }
  if (worker['hide-cmd-window'] === true) features.hideCmdWindow = true;
  if (Object.keys(features).length) payload.features = features;

  return out;
};
