// A checkout's SSH private key on disk for exactly as long as git needs it.
// It is written after the privilege drop, so it belongs to the task's user,
// into a fresh directory only that user can enter (0700) and a file only that
// user can read (0600), in the temporary directory rather than in the checkout
// (which lives on in a cache) or in HOME (which may not exist). It is removed
// when the checkout ends, whether it succeeded or not, and when run-task is
// stopped by a signal meanwhile, so the task's command never finds it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunTaskExit, reason } from '../failure.js';
import { logLine } from '../log.js';
import { GITHUB_KNOWN_HOSTS } from './github-known-hosts.js';

export interface SshKey {
  /** GIT_SSH_COMMAND: ssh with this key and no other, and known host keys only. */
  command: string;
  keyFile: string;
  remove(): void;
}

const CLEANUP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export function installSshKey(privateKey: string, secretName: string): SshKey {
  let directory: string;
  try {
    directory = mkdtempSync(join(tmpdir(), 'run-task-ssh-'));
  } catch (error) {
    throw new RunTaskExit(1, 'vcs', [
      `error: cannot create a private directory for the SSH key of the secret ${secretName} in ${tmpdir()}: ${reason(error)}; ` +
        'run-task needs a writable temporary directory (TMPDIR, or /tmp)',
    ]);
  }
  const keyFile = join(directory, 'private-key');
  const knownHosts = join(directory, 'known_hosts');

  let removed = false;
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    // Our handler is gone: the same signal now ends run-task as it would have.
    process.kill(process.pid, signal);
  };
  const remove = () => {
    if (removed) return;
    removed = true;
    for (const signal of CLEANUP_SIGNALS) process.removeListener(signal, onSignal);
    try {
      rmSync(directory, { recursive: true, force: true });
    } catch (error) {
      logLine('vcs', `warning: cannot remove the SSH key of the secret ${secretName} in ${directory}: ${reason(error)}`);
    }
  };
  for (const signal of CLEANUP_SIGNALS) process.on(signal, onSignal);

  try {
    // OpenSSH refuses a key whose last line has no newline, as secrets are often stored.
    const text = privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`;
    writeFileSync(keyFile, text, { mode: 0o600, flag: 'wx' });
    writeFileSync(knownHosts, GITHUB_KNOWN_HOSTS, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    remove();
    throw new RunTaskExit(1, 'vcs', [`error: cannot write the SSH key of the secret ${secretName} into ${directory}: ${reason(error)}`]);
  }
  const command = [
    'ssh',
    '-i', keyFile,
    // Only this key: not an agent's or the user's own, which would be offered first.
    '-o', 'IdentitiesOnly=yes',
    // Fail rather than wait for a passphrase or a password nobody will type.
    '-o', 'BatchMode=yes',
    // As taskgraph: the host's key must be known (GitHub's, or the image's
    // /etc/ssh/ssh_known_hosts), so the key is never offered to an impostor.
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
  ].map(shellWord).join(' ');
  return { command, keyFile, remove };
}

/** git runs GIT_SSH_COMMAND through the shell: TMPDIR may hold spaces or quotes. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
