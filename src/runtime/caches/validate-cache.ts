// One cache through the protocol of DESIGN.md ("Run time"): created, used,
// re-owned, or refused with exit 72 so that the worker purges it and retries.
import {
  ENV_CACHES,
  EXIT_PURGE_CACHES,
  REQUIREMENTS_FILE,
  auditMessages,
  compareRequirements,
  escapeAuditText,
  requirementsFor,
} from '../../contract.js';
import { RunTaskExit, reason } from '../failure.js';
import { logLine, logLines } from '../log.js';
import { giveMountRoot, mountRoot } from '../mount-root.js';
import type { TaskIdentity } from '../users.js';
import { appendAuditEntry, printAuditLog } from './audit-log.js';
import { isEmptyCache } from './cache-content.js';
import { chownTree } from './chown-tree.js';
import { readRequirements, writeRequirements } from './requirements-file.js';

export interface CacheContext {
  identity: TaskIdentity;
  /** TASKCLUSTER_UNTRUSTED_CACHES was set: other tasks' content may be re-owned. */
  untrusted: boolean;
  isRoot: boolean;
  taskId: string | undefined;
}

export type CacheState = 'created' | 'used' | 'chown';

const OWNER_LINE = /^(uid|gid)=/;

const OWNER_EXPLANATION = [
  'The uid or gid differs: the cache was filled by a task that ran as another user or group,',
  'either because tasks sharing this cache run with different --user/--group, or because their',
  'images give the same user or group different numeric ids. Its files would belong to an owner',
  'this task cannot write as. To fix it, run every task that uses this cache as the same user and',
  'group, with the same uid and gid in every image (worker must be uid 1000 and gid 1000).',
];

/** Requirement lines come from a file anyone with access to the cache may have written. */
const shown = (lines: readonly string[]) => lines.map(escapeAuditText).join(' ');

export async function prepareCache(path: string, context: CacheContext): Promise<CacheState> {
  const root = mountRoot(path, 'cache', `${ENV_CACHES} must list the mount points of the task's caches`);
  const ours = requirementsFor(context.identity.uid, context.identity.gid);

  if (isEmptyCache(root)) {
    logLine('cache', `cache ${path} is empty; writing requirements: ${shown(ours)}`);
    try {
      writeRequirements(root, ours);
    } catch (error) {
      throw new RunTaskExit(1, 'cache', [`error: cannot write ${REQUIREMENTS_FILE} in cache ${path}: ${reason(error)}`]);
    }
    appendAuditEntry(root, context.taskId, auditMessages.created(ours));
    if (context.isRoot) giveMountRoot(path, root, 'cache', context.identity);
    return 'created';
  }

  const recorded = readRequirements(root);
  if (recorded.state === 'missing') {
    logLines('cache', [
      `error: cache ${path} is not empty but has no ${REQUIREMENTS_FILE}.`,
      'Likely something other than run-task filled it (a task whose command does not start with',
      'run-task and that was given the same cache name, or an image that ships files at this path),',
      `or a task deleted the file. Check the cache names and ${ENV_CACHES} of the tasks that use it.`,
      `The cache will be purged and the task retried (exit ${EXIT_PURGE_CACHES}).`,
    ]);
    appendAuditEntry(root, context.taskId, auditMessages.missingRequirements());
    printAuditLog(root);
    throw new RunTaskExit(EXIT_PURGE_CACHES, 'cache', []);
  }
  if (recorded.state === 'unusable') {
    logLines('cache', [
      `error: the ${REQUIREMENTS_FILE} of cache ${path} ${recorded.why}; its requirements cannot be checked.`,
      `our requirements: ${shown(ours)}`,
      `The cache will be purged and the task retried (exit ${EXIT_PURGE_CACHES}).`,
    ]);
    return refuse(root, ours, context);
  }

  const theirs = recorded.lines;
  logLine('cache', `cache ${path} exists; requirements: ${shown(theirs)}`);
  const comparison = compareRequirements(ours, theirs);
  if (comparison === 'equal') {
    appendAuditEntry(root, context.taskId, auditMessages.used());
    return 'used';
  }
  if (comparison === 'owner-only' && context.untrusted && context.isRoot) {
    logLine(
      'cache',
      `cache ${path}: only uid/gid differ; this is acceptable because the caches of this task are untrusted; ` +
        'changing the owner so the task can use the cache',
    );
    await reown(path, root, ours, context);
    return 'chown';
  }

  const differing = [...ours.filter((l) => !theirs.includes(l)), ...theirs.filter((l) => !ours.includes(l))];
  const lines = [
    `error: requirements of populated cache ${path} differ from this task's`,
    `cache requirements: ${shown(theirs)}`,
    `our requirements:   ${shown(ours)}`,
  ];
  if (differing.some((l) => OWNER_LINE.test(l))) {
    lines.push(...OWNER_EXPLANATION);
    if (comparison === 'owner-only') {
      lines.push(
        context.isRoot
          ? 'run-task changes the owner of a cache only when its caches are untrusted (TASKCLUSTER_UNTRUSTED_CACHES, level 1).'
          : 'run-task could change the owner of an untrusted cache only when it runs as root.',
      );
    }
  }
  lines.push(`The cache will be purged and the task retried (exit ${EXIT_PURGE_CACHES}).`);
  logLines('cache', lines);
  return refuse(root, ours, context);
}

function refuse(root: string, ours: readonly string[], context: CacheContext): never {
  appendAuditEntry(root, context.taskId, auditMessages.mismatch(ours));
  printAuditLog(root);
  throw new RunTaskExit(EXIT_PURGE_CACHES, 'cache', []);
}

async function reown(path: string, root: string, ours: readonly string[], context: CacheContext): Promise<void> {
  const { user, group, uid, gid } = context.identity;
  logLine('chown', `recursively changing the owner of ${path} to ${user}:${group} (${uid}:${gid})`);
  try {
    const { count, chownFailed } = await chownTree(root, uid, gid);
    if (chownFailed) logLine('chown', `warning: ${chownFailed}; run-task changed the owners itself`);
    logLine('chown', `${count} entries of ${path} now belong to ${uid}:${gid}`);
    writeRequirements(root, ours);
  } catch (error) {
    logLines('cache', [
      `error: cannot give cache ${path} to ${uid}:${gid}: ${(error as Error).message}`,
      `The cache will be purged and the task retried (exit ${EXIT_PURGE_CACHES}).`,
    ]);
    refuse(root, ours, context);
  }
  appendAuditEntry(root, context.taskId, auditMessages.chown(ours));
}
