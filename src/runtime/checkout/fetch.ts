// Talking to the repositories' servers: clone and fetch. Networks fail and
// servers stall, so these are retried, and a transfer slower than a floor is
// abandoned (and retried) instead of hanging the task until its deadline. An
// answer that will not change by asking again (no such revision, no such
// repository) fails at once.
import { RunTaskExit } from '../failure.js';
import { logLine } from '../log.js';
import { git, NOT_STARTED, type GitContext } from './git.js';
import type { PreparedCheckout } from './prepare.js';

export const FETCH_ATTEMPTS = 5;
/** Seconds before the second attempt, doubled before each further one. */
const FIRST_BACKOFF = 2;
/** Below LOW_SPEED_LIMIT bytes per second for LOW_SPEED_TIME seconds, an HTTP transfer is abandoned. */
export const LOW_SPEED_LIMIT = 10_240;
export const LOW_SPEED_TIME = 60;

const PERMANENT = [
  /not our ref/,
  /couldn't find remote ref/,
  /no such remote ref/,
  /unadvertised object/,
  /does not appear to be a git repository/,
  /[Rr]epository .* not found/,
  /invalid refspec/,
];

export function lowSpeedEnvironment(): Record<string, string> {
  return { GIT_HTTP_LOW_SPEED_LIMIT: String(LOW_SPEED_LIMIT), GIT_HTTP_LOW_SPEED_TIME: String(LOW_SPEED_TIME) };
}

export interface Attempts {
  ok: boolean;
  /** git itself could not be run; `output` says why. */
  notStarted: boolean;
  /** The failure will not change by asking again. */
  permanent: boolean;
  output: string;
}

/** A git command that talks to a server (clone, fetch), retried while its failure may pass. */
export async function gitWithRetries(args: readonly string[], context: GitContext, cwd: string | undefined, what: string): Promise<Attempts> {
  for (let attempt = 1; ; attempt++) {
    const result = await git(args, context, cwd);
    const notStarted = result.status === NOT_STARTED;
    if (result.status === 0) return { ok: true, notStarted, permanent: false, output: result.output };
    const permanent = notStarted || PERMANENT.some((p) => p.test(result.output));
    if (permanent || attempt === FETCH_ATTEMPTS) return { ok: false, notStarted, permanent, output: result.output };
    const wait = FIRST_BACKOFF * 2 ** (attempt - 1);
    logLine('vcs', `${what} failed (exit ${result.status}, attempt ${attempt} of ${FETCH_ATTEMPTS}); retrying in ${wait} s`);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
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
  const fail = (what: string, output: string, permanent: boolean, notStarted = false): RunTaskExit =>
    notStarted ? new RunTaskExit(1, 'vcs', [`error: cannot fetch ${what} into ${checkout.path}: ${output}`]) : new RunTaskExit(1, 'vcs', [
      `error: cannot fetch ${what} from ${checkout.headRepository} into ${checkout.path}` +
        (permanent ? '' : ` (${FETCH_ATTEMPTS} attempts)`),
      permanent
        ? `the head repository does not have it: check ${upper}_HEAD_REPOSITORY and ${upper}_HEAD_REV/${upper}_HEAD_REF (was the revision pushed?)`
        : 'the head repository could not be reached; the task can be rerun',
      `last git output: ${output.split('\n').filter((l) => /fatal|error/.test(l)).join(' | ') || output.split('\n').slice(-1)[0] || '(none)'}`,
    ]);
  if (headRef !== undefined) {
    const fetched = await fetchOnce(checkout, headRef, context);
    if (!fetched.ok) throw fail(`the ref ${headRef}`, fetched.output, fetched.permanent, fetched.notStarted);
    if (headRev === undefined) {
      const tip = await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], context, checkout.path, true);
      const revision = tip.stdout.trim();
      if (tip.status !== 0 || revision === '') throw fail(`the ref ${headRef}`, tip.output, true);
      logLine('vcs', `${headRef} is ${revision} in ${checkout.headRepository}`);
      return revision;
    }
    if (await hasCommit(checkout, headRev, context)) return fullRevision(checkout, headRev, context);
  }
  const rev = headRev!;
  const fetched = await fetchOnce(checkout, rev, context);
  if (!fetched.ok) throw fail(`the revision ${rev}`, fetched.output, fetched.permanent, fetched.notStarted);
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
