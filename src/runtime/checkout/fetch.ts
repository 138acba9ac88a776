// Talking to the repositories' servers: clone and fetch. Networks fail and
// servers stall, so these are retried, and a transfer slower than a floor is
// abandoned (and retried) instead of hanging the task until its deadline. An
// answer that will not change by asking again (no such revision, no such
// repository, access refused) fails at once, and so does a local clone found
// damaged, which the caller replaces.
import { RunTaskExit } from '../failure.js';
import { logLine } from '../log.js';
import { classifyGitFailure, gitErrorSummary, type GitFailure } from './git-failures.js';
import { git, NOT_STARTED, type GitContext } from './git.js';
import type { PreparedCheckout } from './prepare.js';
import { UnusableClone } from './unusable-clone.js';

export const FETCH_ATTEMPTS = 5;
/** Seconds before the second attempt, doubled before each further one. */
const FIRST_BACKOFF = 2;
/** Below LOW_SPEED_LIMIT bytes per second for LOW_SPEED_TIME seconds, an HTTP transfer is abandoned. */
export const LOW_SPEED_LIMIT = 10_240;
export const LOW_SPEED_TIME = 60;

export function lowSpeedEnvironment(): Record<string, string> {
  return { GIT_HTTP_LOW_SPEED_LIMIT: String(LOW_SPEED_LIMIT), GIT_HTTP_LOW_SPEED_TIME: String(LOW_SPEED_TIME) };
}

export interface Attempts {
  ok: boolean;
  /** Why the last attempt failed; `not-started` when git itself could not be run (`output` says why). */
  failure: GitFailure | 'not-started' | undefined;
  /** The line of git's output that shows the cause, when one does. */
  cause: string | undefined;
  output: string;
}

/** A git command that talks to a server (clone, fetch, submodule update), retried while its failure may pass. */
export async function gitWithRetries(args: readonly string[], context: GitContext, cwd: string | undefined, what: string): Promise<Attempts> {
  for (let attempt = 1; ; attempt++) {
    const result = await git(args, context, cwd);
    if (result.status === 0) return { ok: true, failure: undefined, cause: undefined, output: result.output };
    if (result.status === NOT_STARTED) return { ok: false, failure: 'not-started', cause: undefined, output: result.output };
    const { kind, line } = classifyGitFailure(result.output);
    if (kind !== 'transient' || attempt === FETCH_ATTEMPTS) return { ok: false, failure: kind, cause: line, output: result.output };
    const wait = FIRST_BACKOFF * 2 ** (attempt - 1);
    logLine('vcs', `${what} failed (exit ${result.status}, attempt ${attempt} of ${FETCH_ATTEMPTS}); retrying in ${wait} s`);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
}

/** What to check when a server refused access, for the repository of `checkout`. */
export function accessHint(checkout: PreparedCheckout, repository: string): string {
  const variable = `${checkout.prefix.toUpperCase()}_SSH_SECRET_NAME`;
  return checkout.sshSecretName !== undefined
    ? `access was refused: check that the SSH key of the secret ${checkout.sshSecretName} (${variable}) may read ${repository}, ` +
        'and that the server\'s host key is GitHub\'s or listed in the image\'s /etc/ssh/ssh_known_hosts'
    : `access was refused: a private repository needs an SSH key, from the secret named by ssh-secret-name in config.yml (${variable})`;
}

function fetchOnce(checkout: PreparedCheckout, what: string, context: GitContext): Promise<Attempts> {
  const args = ['fetch', '--no-tags', ...(checkout.shallow ? ['--depth=1'] : []), '--', checkout.headRepository, what];
  return gitWithRetries(args, context, checkout.path, `git fetch of ${what} from ${checkout.headRepository}`);
}

async function hasCommit(checkout: PreparedCheckout, revision: string, context: GitContext): Promise<boolean> {
  const result = await git(['cat-file', '-e', `${revision}^{commit}`], context, checkout.path, true);
  return result.status === 0;
}

/** Fetches what the checkout names; returns the full revision to check out. */
export async function fetchWithRetries(checkout: PreparedCheckout, context: GitContext): Promise<string> {
  const { headRev, headRef } = checkout;
  const upper = checkout.prefix.toUpperCase();
  const fail = (what: string, fetched: Pick<Attempts, 'failure' | 'cause' | 'output'>): Error => {
    if (fetched.failure === 'not-started') return new RunTaskExit(1, 'vcs', [`error: cannot fetch ${what} into ${checkout.path}: ${fetched.output}`]);
    if (fetched.failure === 'damaged') return new UnusableClone(`git fetch of ${what} failed: ${fetched.cause}`);
    const hint = {
      missing: `the head repository does not have it: check ${upper}_HEAD_REPOSITORY and ${upper}_HEAD_REV/${upper}_HEAD_REF (was the revision pushed?)`,
      denied: accessHint(checkout, checkout.headRepository),
      transient: 'the head repository could not be reached; the task can be rerun',
    }[fetched.failure ?? 'transient'];
    return new RunTaskExit(1, 'vcs', [
      `error: cannot fetch ${what} from ${checkout.headRepository} into ${checkout.path}` +
        (fetched.failure === 'transient' ? ` (${FETCH_ATTEMPTS} attempts)` : ''),
      hint,
      `last git output: ${gitErrorSummary(fetched.output)}`,
    ]);
  };
  if (headRef !== undefined) {
    const fetched = await fetchOnce(checkout, headRef, context);
    if (!fetched.ok) throw fail(`the ref ${headRef}`, fetched);
    if (headRev === undefined) {
      const tip = await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], context, checkout.path, true);
      const revision = tip.stdout.trim();
      if (tip.status !== 0 || revision === '') throw fail(`the ref ${headRef}`, { failure: 'missing', cause: undefined, output: tip.output });
      logLine('vcs', `${headRef} is ${revision} in ${checkout.headRepository}`);
      return revision;
    }
    if (await hasCommit(checkout, headRev, context)) return fullRevision(checkout, headRev, context);
  }
  const rev = headRev!;
  const fetched = await fetchOnce(checkout, rev, context);
  if (!fetched.ok) throw fail(`the revision ${rev}`, fetched);
  return fullRevision(checkout, rev, context);
}

async function fullRevision(checkout: PreparedCheckout, revision: string, context: GitContext): Promise<string> {
  // Already complete (the usual case): HEAD is verified against it after the checkout anyway.
  if (/^[0-9a-f]{40}$/.test(revision)) return revision;
  const result = await git(['rev-parse', '--verify', `${revision}^{commit}`], context, checkout.path, true);
  const full = result.stdout.trim();
  if (result.status !== 0 || full === '') {
    throw new RunTaskExit(1, 'vcs', [`error: ${revision} was fetched into ${checkout.path} but is not a commit there`]);
  }
  return full;
}
