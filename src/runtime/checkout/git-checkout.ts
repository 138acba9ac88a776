// One repository checked out as the task's user: clone when the path holds no
// clone yet, fetch the wanted revision, check it out detached, remove whatever
// an earlier task left in the working copy, and verify HEAD. A failure leaves
// the clone as git left it after a failed fetch or checkout: usable next time.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RunTaskExit } from '../failure.js';
import { logLine } from '../log.js';
import { FETCH_ATTEMPTS, fetchWithRetries, gitWithRetries } from './fetch.js';
import { git, type GitContext } from './git.js';
import type { PreparedCheckout } from './prepare.js';

const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(2);

function failure(checkout: PreparedCheckout, lines: string[]): RunTaskExit {
  return new RunTaskExit(1, 'vcs', [`error: checkout of ${checkout.name} into ${checkout.path} failed: ${lines[0]}`, ...lines.slice(1)]);
}

/** Returns the revision checked out. */
export async function checkOutGit(checkout: PreparedCheckout, env: NodeJS.ProcessEnv): Promise<string> {
  const context: GitContext = { env, safeDirectory: checkout.path };
  const costs: string[] = [];
  const state = existingState(checkout);
  if (state === 'clone') {
    logLine('vcs', `reusing the clone in ${checkout.path}`);
  } else {
    const start = process.hrtime.bigint();
    const args = ['clone', '--no-checkout', ...(checkout.shallow ? ['--depth=1'] : []), '--', checkout.baseRepository, checkout.path];
    logLine('vcs', `cloning ${checkout.baseRepository} into ${checkout.path}${checkout.shallow ? ' (shallow)' : ''}`);
    const cloned = await gitWithRetries(args, context, undefined, `git clone of ${checkout.baseRepository}`);
    if (!cloned.ok) {
      if (cloned.notStarted) throw failure(checkout, [cloned.output]);
      const base = `${checkout.prefix.toUpperCase()}_BASE_REPOSITORY`;
      throw failure(checkout, [
        `git clone of ${checkout.baseRepository} failed${cloned.permanent ? '' : ` ${FETCH_ATTEMPTS} times`}`,
        cloned.permanent ? `check ${base} (or the head repository, when it is unset): the repository does not exist there`
          : 'the base repository could not be reached; the task can be rerun',
      ]);
    }
    costs.push(`clone ${seconds(start)} s`);
  }

  const fetchStart = process.hrtime.bigint();
  const revision = await fetchWithRetries(checkout, context);
  costs.push(`fetch ${seconds(fetchStart)} s`);

  const checkoutStart = process.hrtime.bigint();
  // A task killed during a git command leaves this lock, and git refuses to
  // touch the index while it exists; no other git can be running here now.
  const lock = join(checkout.path, '.git', 'index.lock');
  if (existsSync(lock)) {
    logLine('vcs', `removing ${lock}, left by a git command that was interrupted in an earlier task`);
    rmSync(lock, { force: true });
  }
  const switched = await git(['checkout', '--quiet', '--force', '--detach', revision], context, checkout.path);
  if (switched.status !== 0) {
    throw failure(checkout, [`git checkout of ${revision} exited with ${switched.status}`]);
  }
  // -f twice: nested repositories go too. -x: ignored files (build products) too.
  const keep = checkout.nested.flatMap((n) => ['-e', `/${relative(checkout.path, n)}`]);
  const cleaned = await git(['clean', '-d', '-f', '-f', '-x', '--quiet', ...keep], context, checkout.path);
  if (cleaned.status !== 0) {
    throw failure(checkout, [`git clean exited with ${cleaned.status}; files of an earlier task may remain`]);
  }
  costs.push(`checkout and clean ${seconds(checkoutStart)} s`);

  const head = await git(['rev-parse', '--verify', 'HEAD'], context, checkout.path, true);
  const actual = head.stdout.trim();
  if (head.status !== 0 || actual !== revision) {
    throw failure(checkout, [`HEAD is ${actual || 'unreadable'} after the checkout, not ${revision}`]);
  }
  logLine('vcs', `${checkout.path} is at ${revision} (${state === 'clone' ? 'reused clone' : 'new clone'}: ${costs.join(', ')})`);
  return revision;
}

/** `clone` for a git working copy at the path, `absent` for nothing or an empty directory. */
function existingState(checkout: PreparedCheckout): 'clone' | 'absent' {
  let entries: string[];
  try {
    if (!statSync(checkout.path).isDirectory()) {
      throw failure(checkout, [`${checkout.path} exists and is not a directory; remove it, or check out elsewhere`]);
    }
    entries = readdirSync(checkout.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    if (error instanceof RunTaskExit) throw error;
    throw failure(checkout, [`cannot read ${checkout.path}: ${(error as Error).message}`]);
  }
  if (entries.length === 0) return 'absent';
  if (entries.includes('.git')) return 'clone';
  throw failure(checkout, [
    `${checkout.path} is not empty and holds no git clone (no .git); a task may have written there without checking out,`,
    'or a clone was interrupted. Remove the directory (purge the cache that holds it), or check out into another path',
  ]);
}
