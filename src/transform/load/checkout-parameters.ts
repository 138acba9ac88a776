// Without a parameters file, taskgraph takes the repository parameters from
// the checkout it runs in (parameters.py, _get_defaults): the URL of the
// `origin` remote, HEAD's revision, the current branch (or the revision on a
// detached HEAD), the files changed but not committed, and the first line of
// version.txt. This module does the same for the checkout that contains the
// root, so that `lint --root DIR` and `generate --root DIR` work in a fresh
// clone with nothing else. Where taskgraph leaves a value empty (no checkout,
// no origin, no commit yet) a placeholder is used instead, because every
// task's metadata.source needs a repository and a revision; the note says
// which values were used, so nothing is silently made up.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A repository URL that can never be fetched (RFC 2606's .invalid). */
export const PLACEHOLDER_REPOSITORY = 'https://placeholder.invalid/repository';
/** Git's null revision: what taskgraph calls a revision that does not exist. */
export const PLACEHOLDER_REVISION = '0000000000000000000000000000000000000000';

/** What metadata.source and the run transform accept as a repository (the task schema's pattern). */
const FETCHABLE = /^(https?:\/\/|ssh:\/\/|git@)/;

export interface CheckoutParameters {
  /** Default parameter values; a parameters file or `-p` wins over each. */
  values: Record<string, unknown>;
  /** The checkout's top directory, or undefined outside any checkout. */
  checkout?: string;
  /** Names of the values that are placeholders. */
  placeholders: string[];
  /** The origin remote's URL when it is there but not usable (a local path). */
  unusableOrigin?: string;
}

/** The nearest directory at or above `start` with a `.git` (a directory, or a file for worktrees). */
function findCheckout(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Git's answer, or undefined when git fails or is missing; bounded in time and size. */
function git(checkout: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', checkout, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
      maxBuffer: 16 * 1024 * 1024,
      // A checkout without an origin must not make git ask for anything.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
  } catch {
    return undefined;
  }
}

function versionOf(checkout: string | undefined): string | null {
  if (checkout === undefined) return null;
  const file = join(checkout, 'version.txt');
  try {
    if (!statSync(file).isFile()) return null;
    return readFileSync(file, 'utf8').split('\n', 1)[0]!.trimEnd();
  } catch {
    return null;
  }
}

export function checkoutParameters(root: string): CheckoutParameters {
  const found = findCheckout(root);
  const top = found === undefined ? undefined : git(found, ['rev-parse', '--show-toplevel'])?.trim();
  const checkout = top || undefined;
  const placeholders: string[] = [];
  const read = (args: readonly string[]) => (checkout === undefined ? undefined : git(checkout, args)?.trim() || undefined);
  const origin = read(['remote', 'get-url', 'origin']);
  // taskgraph, too, drops an origin that is not a URL of a hosted repository (a local path).
  let headRepository = origin !== undefined && FETCHABLE.test(origin) ? origin : undefined;
  if (headRepository === undefined) {
    headRepository = PLACEHOLDER_REPOSITORY;
    placeholders.push('head_repository', 'base_repository');
  }
  let headRev = read(['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (headRev === undefined) {
    headRev = PLACEHOLDER_REVISION;
    placeholders.push('head_rev');
  }
  const branch = read(['branch', '--show-current']);
  const changed = checkout === undefined ? undefined : git(checkout, ['diff', '--name-only', '--no-renames', '--diff-filter=AM']);
  return {
    values: {
      head_repository: headRepository,
      base_repository: headRepository,
      head_rev: headRev,
      head_ref: branch ?? headRev,
      repository_type: 'git',
      files_changed: (changed ?? '').split('\n').filter(Boolean),
      version: versionOf(checkout),
    },
    ...(checkout !== undefined ? { checkout } : {}),
    ...(origin !== undefined && origin !== headRepository ? { unusableOrigin: origin } : {}),
    placeholders,
  };
}

/**
 * One line for the user: where the repository parameters came from, and which
 * are placeholders. `overridden`: the parameters given with `-p`, left out.
 */
export function describeCheckoutParameters(found: CheckoutParameters, overridden: ReadonlySet<string>): string {
  const shown = ['head_repository', 'head_rev', 'head_ref']
    .filter((key) => !overridden.has(key))
    .map((key) => `${key}=${String(found.values[key])}`);
  const placeholders = found.placeholders.filter((key) => !overridden.has(key));
  const where =
    found.checkout === undefined
      ? 'not in a git checkout, so placeholder repository parameters are used'
      : `repository parameters from the git checkout ${found.checkout}`;
  const what = shown.length ? `: ${shown.join(', ')}` : '';
  const why = found.unusableOrigin !== undefined ? `, as origin ${found.unusableOrigin} is not the URL of a hosted repository` : '';
  const placeholderNote = found.checkout !== undefined && placeholders.length ? ` (placeholders: ${placeholders.join(', ')}${why})` : '';
  return `no --params: ${where}${what}${placeholderNote}; give --params FILE or -p KEY=VALUE to set them`;
}
