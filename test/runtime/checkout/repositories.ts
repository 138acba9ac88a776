// Real git repositories for the checkout suites, served from local paths.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { asUser, tempDir, testUser, type TestUser } from '../helpers.js';

export function gitIn(dir: string, args: string[]): string {
  return execFileSync('git', ['-c', 'safe.directory=*', '-C', dir, ...args], { encoding: 'utf8' }).trim();
}

export interface SourceRepository {
  path: string;
  /** Commits on main, oldest first. */
  revisions: string[];
  /** The tip of the branch `feature`, not on main. */
  feature: string;
}

/**
 * A repository with two revisions on main (`f` holds "one", then "two"), a
 * .gitignore for build/, and a branch `feature`. Owned by `owner`, as git
 * refuses to serve a repository owned by another user.
 */
export function makeSourceRepository(dir: string, owner: { uid: number; gid: number }, name = 'source'): SourceRepository {
  const path = join(dir, name);
  mkdirSync(path);
  gitIn(path, ['init', '--quiet', '--initial-branch=main']);
  gitIn(path, ['config', 'user.email', 'tests@example.com']);
  gitIn(path, ['config', 'user.name', 'tests']);
  const commit = (message: string) => {
    gitIn(path, ['add', '--all']);
    gitIn(path, ['commit', '--quiet', '-m', message]);
    return gitIn(path, ['rev-parse', 'HEAD']);
  };
  writeFileSync(join(path, 'f'), `one ${name}\n`);
  writeFileSync(join(path, '.gitignore'), 'build/\n');
  const first = commit('one');
  writeFileSync(join(path, 'f'), `two ${name}\n`);
  const second = commit('two');
  gitIn(path, ['checkout', '--quiet', '-b', 'feature']);
  writeFileSync(join(path, 'f'), `feature ${name}\n`);
  const feature = commit('feature');
  gitIn(path, ['checkout', '--quiet', 'main']);
  chownTree(path, owner.uid, owner.gid);
  return { path, revisions: [first, second], feature };
}

export function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

/**
 * The user a checkout test file runs its tasks as, and source repositories
 * that user owns (one per name), made when the file is loaded and removed,
 * with the user, after its tests: neither may outlive the run.
 */
export function checkoutSuite<N extends string>(
  userBase: string,
  label: string,
  names: readonly N[],
): { user: TestUser; as: () => string[]; repositories: Record<N, SourceRepository> } {
  const user = testUser(userBase);
  const dir = tempDir(undefined, label);
  after(() => rmSync(dir, { recursive: true, force: true }));
  const repositories = {} as Record<N, SourceRepository>;
  for (const name of names) repositories[name] = makeSourceRepository(dir, user, name);
  return { user, as: () => asUser(user), repositories };
}
