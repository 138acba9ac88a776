// The checkouts of a run, in the two halves the privilege drop splits them
// into (main.ts calls them in this order):
//
// 1. setUpCheckouts, as root after the caches and volumes: reads and checks
//    the options and environment, refuses a checkout that would clean a cache
//    away, creates the parent directories for the task's user.
// 2. runCheckouts, after dropPrivileges and before the command: the SSH key
//    of a checkout that names one, then the git work.
//
// git runs after the drop rather than as root with spawn's uid/gid because
// then it holds exactly the command's credentials (supplementary groups, umask
// 022; libuv's uid/gid spawn clears supplementary groups), and because a
// reused clone's .git (its config, hooks, fsmonitor) comes from a cache an
// earlier, possibly untrusted task wrote: by then no root process is left to
// run what it names.
import { readFileSync } from 'node:fs';
import { logLine } from '../log.js';
import type { TaskIdentity } from '../users.js';
import { exportCheckoutEnvironment } from './environment.js';
import { lowSpeedEnvironment } from './fetch.js';
import { checkOutGit } from './git-checkout.js';
import type { CheckoutOptions } from './options.js';
import { prepareCheckouts, type PreparedCheckout } from './prepare.js';
import { readCheckouts, readRepositoryNames } from './repositories.js';
import { installSshKey } from './ssh-key.js';
import { fetchSshPrivateKey } from './ssh-secret.js';

export interface CheckoutRun {
  checkouts: PreparedCheckout[];
  /** Every repository prefix of REPOSITORIES, checked out or not. */
  prefixes: string[];
  workdir: string;
}

export function setUpCheckouts(
  options: CheckoutOptions,
  places: { caches: readonly string[]; volumes: readonly string[]; workdir: string },
  identity: TaskIdentity,
  isRoot: boolean,
  env: NodeJS.ProcessEnv = process.env,
): CheckoutRun {
  const checkouts = readCheckouts(options, env, places.workdir);
  return {
    checkouts: prepareCheckouts(checkouts, places.caches, places.volumes, identity, isRoot),
    prefixes: Object.keys(readRepositoryNames(env)),
    workdir: places.workdir,
  };
}

/** As the task's user: the git work, then the command's environment. */
export async function runCheckouts(run: CheckoutRun, identity: TaskIdentity, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const revisions = new Map<string, string>();
  if (run.checkouts.length > 0) {
    const gitEnv: NodeJS.ProcessEnv = { ...env, GIT_TERMINAL_PROMPT: '0', ...lowSpeedEnvironment() };
    // After the switch HOME may still name root's home, which git cannot read.
    if (identity.switchUser) gitEnv.HOME = homeOf(identity.user) ?? '/nonexistent';
    for (const checkout of run.checkouts) revisions.set(checkout.prefix, await checkOutWithKey(checkout, gitEnv));
  }
  exportCheckoutEnvironment(run.prefixes, revisions, run.workdir, env);
}

/** The checkout, with the SSH key of its secret when it names one; the key is gone when this returns or throws. */
async function checkOutWithKey(checkout: PreparedCheckout, gitEnv: NodeJS.ProcessEnv): Promise<string> {
  const secret = checkout.sshSecretName;
  if (secret === undefined) return checkOutGit(checkout, gitEnv);
  const variable = `${checkout.prefix.toUpperCase()}_SSH_SECRET_NAME`;
  const key = installSshKey(await fetchSshPrivateKey(secret, variable, gitEnv), secret);
  logLine('vcs', `ssh uses the key of the secret ${secret} for ${checkout.path}; it is removed after the checkout`);
  try {
    // Only git's environment: the command never sees where the key was.
    return await checkOutGit(checkout, { ...gitEnv, GIT_SSH_COMMAND: key.command });
  } finally {
    key.remove();
  }
}

function homeOf(user: string): string | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith(`${user}:`));
  return line?.split(':')[5] || undefined;
}
