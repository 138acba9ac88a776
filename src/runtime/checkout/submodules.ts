// Submodules, as taskgraph's run-task handles them: when the revision checked
// out has a .gitmodules, they are initialised and updated with --force (local
// changes an earlier task made in them are thrown away). Beyond taskgraph:
// nested submodules too (--recursive), URLs changed in .gitmodules are
// followed in a reused clone (sync), and the working copies of the submodules
// are cleaned like the checkout itself, so that nothing of an earlier task
// survives in them either.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunTaskExit } from '../failure.js';
import { accessHint, FETCH_ATTEMPTS, gitWithRetries } from './fetch.js';
import { gitErrorSummary } from './git-failures.js';
import { git, type GitContext } from './git.js';
import type { PreparedCheckout } from './prepare.js';
import { UnusableClone } from './unusable-clone.js';

// git ≥ 2.38 refuses submodules cloned from a local path or file:// URL
// unless allowed (CVE-2022-39253: a crafted repository could copy files of
// the machine into its submodule). Allowed here because the repository is the
// task's own code, which runs next as the same user with the same access.
const ALLOW_LOCAL_SUBMODULES = ['-c', 'protocol.file.allow=always'];

/** Brings the submodules to the commits the checkout records; false when it has none. */
export async function updateSubmodules(checkout: PreparedCheckout, context: GitContext): Promise<boolean> {
  if (!existsSync(join(checkout.path, '.gitmodules'))) return false;
  const synced = await git([...ALLOW_LOCAL_SUBMODULES, 'submodule', '--quiet', 'sync', '--recursive'], context, checkout.path);
  if (synced.status !== 0) throw new UnusableClone(`git submodule sync failed (exit ${synced.status}): ${gitErrorSummary(synced.output)}`);

  const args = [...ALLOW_LOCAL_SUBMODULES, 'submodule', 'update', '--init', '--recursive', '--force'];
  const updated = await gitWithRetries(args, context, checkout.path, `git submodule update in ${checkout.path}`);
  if (!updated.ok) {
    if (updated.failure === 'damaged') throw new UnusableClone(`git submodule update failed: ${updated.cause}`);
    const hint = {
      'not-started': updated.output,
      missing: 'a submodule\'s repository, or the commit the checkout records for it, does not exist: check the URLs in ' +
        '.gitmodules and that the submodule\'s commit was pushed',
      denied: accessHint(checkout, 'the submodules\' repositories'),
      transient: 'a submodule\'s repository could not be reached; the task can be rerun',
    }[updated.failure ?? 'transient'];
    throw new RunTaskExit(1, 'vcs', [
      `error: cannot update the submodules of ${checkout.path}${updated.failure === 'transient' ? ` (${FETCH_ATTEMPTS} attempts)` : ''}`,
      hint,
      `last git output: ${gitErrorSummary(updated.output)}`,
    ]);
  }

  // The checkout's own `git clean` stops at a submodule: it is another repository.
  const cleaned = await git(
    ['submodule', '--quiet', 'foreach', '--recursive', 'git clean -d -f -f -x --quiet'],
    context,
    checkout.path,
  );
  if (cleaned.status !== 0) {
    throw new UnusableClone(`git clean in the submodules failed (exit ${cleaned.status}): ${gitErrorSummary(cleaned.output)}`);
  }
  return true;
}
