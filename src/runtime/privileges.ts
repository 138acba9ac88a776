// As root, the task's command runs as the task's user, after the caches and
// volumes (which need root) are ready. Modeled on what sudo does: the user's
// supplementary groups, then the group, then the user (last, as it gives up
// the right to change the others), and the usual umask.
import { RunTaskExit } from './failure.js';
import { logLine } from './log.js';
import type { TaskIdentity } from './users.js';

// In Node.js on POSIX, but missing from @types/node 20.
type WithInitgroups = NodeJS.Process & { initgroups(user: string, extraGroup: number): void };

export function dropPrivileges(identity: TaskIdentity): void {
  if (!identity.switchUser) return;
  logLine('setup', `running as ${identity.user}:${identity.group} (${identity.uid}:${identity.gid})`);
  try {
    (process as WithInitgroups).initgroups(identity.user, identity.gid);
    process.setgid!(identity.gid);
    process.setuid!(identity.uid);
  } catch (error) {
    throw new RunTaskExit(1, 'setup', [
      `error: cannot switch to ${identity.user}:${identity.group} (${identity.uid}:${identity.gid}): ${(error as Error).message}; ` +
        'the container must allow root to change its user and groups (capabilities SETUID and SETGID)',
    ]);
  }
  process.umask(0o022);
}
