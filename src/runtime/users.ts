// Who the task runs as. Node.js has no getpwnam/getgrnam, so the user and group
// databases are read from /etc/passwd and /etc/group, which is what task
// images define their users in.
import { readFileSync } from 'node:fs';
import { RunTaskExit } from './failure.js';

export interface TaskIdentity {
  user: string;
  group: string;
  uid: number;
  gid: number;
  /** True when run-task runs as root and switches to the user before the command. */
  switchUser: boolean;
}

/** Most tasks run as worker:worker; a fixed number keeps cache files' owners stable across images. */
export const WORKER_NAME = 'worker';
export const WORKER_ID = 1000;

interface DatabaseEntry {
  name: string;
  id: number;
}

/** Entries `name:password:id:…` of /etc/passwd (id = uid) or /etc/group (id = gid). */
export function parseDatabase(text: string): DatabaseEntry[] {
  const entries: DatabaseEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const id = Number(fields[2]);
    if (fields.length < 3 || !/^\d+$/.test(fields[2])) continue;
    entries.push({ name: fields[0], id });
  }
  return entries;
}

function lookup(database: string, name: string, option: string): number {
  let text: string;
  try {
    text = readFileSync(database, 'utf8');
  } catch (error) {
    throw new RunTaskExit(1, 'setup', [`error: cannot read ${database} to look up ${option} ${name}: ${(error as Error).message}`]);
  }
  const entry = parseDatabase(text).find((e) => e.name === name);
  if (!entry) {
    const kind = option === '--user' ? 'user' : 'group';
    throw new RunTaskExit(1, 'setup', [
      `error: ${kind} ${JSON.stringify(name)} is not defined in ${database}; give an existing ${kind} with ${option}, or create it in the image`,
    ]);
  }
  return entry.id;
}

/**
 * As root: the named user and group, checked against the worker rule. Not
 * root: the current ids, and no switch (the names are then only informative).
 */
export function resolveIdentity(
  user: string,
  group: string,
  isRoot: boolean,
  databases = { passwd: '/etc/passwd', group: '/etc/group' },
): TaskIdentity {
  if (!isRoot) {
    return { user, group, uid: process.getuid!(), gid: process.getgid!(), switchUser: false };
  }
  const uid = lookup(databases.passwd, user, '--user');
  const gid = lookup(databases.group, group, '--group');
  if (user === WORKER_NAME && uid !== WORKER_ID) {
    throw new RunTaskExit(1, 'setup', [
      `error: user ${WORKER_NAME} must have uid ${WORKER_ID}, but ${databases.passwd} gives it uid ${uid}; ` +
        `files in caches shared between images would get different owners. Create the user with \`useradd -u ${WORKER_ID}\` in the image`,
    ]);
  }
  if (group === WORKER_NAME && gid !== WORKER_ID) {
    throw new RunTaskExit(1, 'setup', [
      `error: group ${WORKER_NAME} must have gid ${WORKER_ID}, but ${databases.group} gives it gid ${gid}; ` +
        `files in caches shared between images would get different owners. Create the group with \`groupadd -g ${WORKER_ID}\` in the image`,
    ]);
  }
  return { user, group, uid, gid, switchUser: true };
}
