// One repository checked out as the task's user: clone when the path holds no
// clone yet, fetch the wanted revision, check it out detached, bring the
// submodules along, remove whatever an earlier task left in the working copy,
// and verify HEAD. A cached clone that git cannot use is replaced by a new
// clone (unusable-clone.ts); a failure of the network or of the task's
// repository leaves the clone as git left it: usable next time.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RunTaskExit } from '../failure.js';
import { logLine } from '../log.js';
import { accessHint, FETCH_ATTEMPTS, fetchWithRetries, gitWithRetries } from './fetch.js';
import { gitErrorSummary } from './git-failures.js';
import { git, type GitContext } from './git.js';
import type { PreparedCheckout } from './prepare.js';
import { updateSubmodules } from './submodules.js';
import { discardClone, inspectClone, UnusableClone } from './unusable-clone.js';

type Origin = 'new clone' | 'reused clone' | 'new clone, replacing an unusable one';

const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(2);

function failure(checkout: PreparedCheckout, lines: string[]): RunTaskExit {
  return new RunTaskExit(1, 'vcs', [`error: checkout of ${checkout.name} into ${checkout.path} failed: ${lines[0]}`, ...lines.slice(1)]);
}

/** Returns the revision checked out. */
export async function checkOutGit(checkout: PreparedCheckout, env: NodeJS.ProcessEnv): Promise<string> {
  const context: GitContext = { env, safeDirectory: checkout.path };
  let origin: Origin = 'new clone';
  if (existingState(checkout) === 'clone') {
    const damage = await inspectClone(checkout, context);
    if (damage === undefined) origin = 'reused clone';
    else {
      discardClone(checkout, damage);
      origin = 'new clone, replacing an unusable one';
    }
  }
  try {
    return await checkOutOnce(checkout, context, origin);
  } catch (error) {
    if (!(error instanceof UnusableClone)) throw error;
    // A clone made just now that git cannot use is no stale cache: a second one would fare no better.
    if (origin !== 'reused clone') throw failure(checkout, [error.why]);
    discardClone(checkout, error.why);
  }
  try {
    return await checkOutOnce(checkout, context, 'new clone, replacing an unusable one');
  } catch (error) {
    throw error instanceof UnusableClone ? failure(checkout, [error.why]) : error;
  }
}

/**
 * One attempt. A step that fails in the local clone alone (checkout, clean,
 * what the fetch found broken locally) throws UnusableClone: those steps do
 * not fail on a sound clone, whatever the task asked for.
 *
 * Every task waits for these steps, so what can overlap does: a reused clone
 * is cleaned while the revision is fetched (the fetch writes only inside .git,
 * the clean only outside it). Cleaning before the checkout leaves the same
 * tree as cleaning after it, except for a submodule the new revision drops:
 * its working copy stays behind as an untracked repository, so a clone that
 * has had submodules is cleaned once more after the checkout.
 */
async function checkOutOnce(checkout: PreparedCheckout, context: GitContext, origin: Origin): Promise<string> {
  const costs: string[] = [];
  const reused = origin === 'reused clone';
  if (reused) {
    logLine('vcs', `reusing the clone in ${checkout.path}`);
  } else {
    const start = process.hrtime.bigint();
    await clone(checkout, context);
    costs.push(`clone ${seconds(start)} s`);
  }

  const fetchStart = process.hrtime.bigint();
  // A clone made just now (--no-checkout, into an empty directory) has nothing to clean.
  const [fetched, cleaned] = await Promise.allSettled([fetchWithRetries(checkout, context), reused ? clean(checkout, context) : undefined]);
  if (fetched.status === 'rejected') throw fetched.reason;
  if (cleaned.status === 'rejected') throw cleaned.reason;
  const revision = fetched.value;
  costs.push(reused ? `fetch and clean ${seconds(fetchStart)} s` : `fetch ${seconds(fetchStart)} s`);

  const checkoutStart = process.hrtime.bigint();
  const hadSubmodules = reused && (existsSync(join(checkout.path, '.gitmodules')) || existsSync(join(checkout.path, '.git', 'modules')));
  // A task killed during a git command leaves this lock, and git refuses to
  // touch the index while it exists; no other git can be running here now.
  const lock = join(checkout.path, '.git', 'index.lock');
  if (existsSync(lock)) {
    logLine('vcs', `removing ${lock}, left by a git command that was interrupted in an earlier task`);
    rmSync(lock, { force: true });
  }
  const switched = await git(['checkout', '--quiet', '--force', '--detach', revision], context, checkout.path);
  if (switched.status !== 0) {
    throw new UnusableClone(`git checkout of ${revision} exited with ${switched.status}: ${gitErrorSummary(switched.output)}`);
  }
  if (hadSubmodules) await clean(checkout, context);
  costs.push(`checkout ${seconds(checkoutStart)} s`);

  const submodulesStart = process.hrtime.bigint();
  if (await updateSubmodules(checkout, context)) costs.push(`submodules ${seconds(submodulesStart)} s`);

  const actual = await headRevision(checkout, context);
  if (actual !== revision) {
    throw new UnusableClone(`HEAD is ${actual || 'unreadable'} after the checkout, not ${revision}`);
  }
  logLine('vcs', `${checkout.path} is at ${revision} (${origin}: ${costs.join(', ')})`);
  return revision;
}

/** Removes every untracked and ignored file of an earlier task, except the checkouts nested in this one. */
async function clean(checkout: PreparedCheckout, context: GitContext): Promise<void> {
  // -f twice: nested repositories go too. -x: ignored files (build products) too.
  const keep = checkout.nested.flatMap((n) => ['-e', `/${relative(checkout.path, n)}`]);
  const cleaned = await git(['clean', '-d', '-f', '-f', '-x', '--quiet', ...keep], context, checkout.path);
  if (cleaned.status !== 0) {
    throw new UnusableClone(`git clean exited with ${cleaned.status}, files of an earlier task may remain: ${gitErrorSummary(cleaned.output)}`);
  }
}

/** A detached HEAD (what run-task checks out) names its commit in .git/HEAD itself: no git process needed. */
const DETACHED_HEAD = /^(?:[0-9a-f]{40}|[0-9a-f]{64})\n$/;

async function headRevision(checkout: PreparedCheckout, context: GitContext): Promise<string> {
  try {
    const text = readFileSync(join(checkout.path, '.git', 'HEAD'), 'utf8');
    if (DETACHED_HEAD.test(text)) return text.trim();
  } catch {
    // git says why below
  }
  const head = await git(['rev-parse', '--verify', 'HEAD'], context, checkout.path, true);
  return head.status === 0 ? head.stdout.trim() : '';
}

async function clone(checkout: PreparedCheckout, context: GitContext): Promise<void> {
  const args = ['clone', '--no-checkout', ...(checkout.shallow ? ['--depth=1'] : []), '--', checkout.baseRepository, checkout.path];
  logLine('vcs', `cloning ${checkout.baseRepository} into ${checkout.path}${checkout.shallow ? ' (shallow)' : ''}`);
  const cloned = await gitWithRetries(args, context, undefined, `git clone of ${checkout.baseRepository}`);
  if (cloned.ok) return;
  if (cloned.failure === 'not-started') throw failure(checkout, [cloned.output]);
  const base = `${checkout.prefix.toUpperCase()}_BASE_REPOSITORY`;
  throw failure(checkout, [
    `git clone of ${checkout.baseRepository} failed${cloned.failure === 'transient' ? ` ${FETCH_ATTEMPTS} times` : ''}`,
    {
      missing: `check ${base} (or the head repository, when it is unset): the repository does not exist there`,
      denied: accessHint(checkout, checkout.baseRepository),
      damaged: `git could not write the clone: ${cloned.cause}`,
      transient: 'the base repository could not be reached; the task can be rerun',
    }[cloned.failure ?? 'transient'],
  ]);
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
