// Submodules: a repository whose submodule (with a submodule of its own) comes
// from a local path is checked out complete; a reused clone follows the
// submodule to the commit a new revision records, and nothing an earlier task
// left inside the submodules survives. Real repositories, the built run-task.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createUser, ownLines, removeUser, runTask, tempDir, type TestUser } from '../helpers.js';
import { chownTree, gitIn } from './repositories.js';

let user: TestUser;
/**
 * app records lib at libRevisions[0] in appRevisions[0], at libRevisions[1] in
 * appRevisions[1], and at a commit lib does not have in appRevisions[2];
 * appRevisions[3] has no submodule any more. lib has deep at vendor/deep.
 */
let app: string;
let appRevisions: string[];
let libRevisions: string[];

function repository(dir: string, name: string): { path: string; commit: (message: string) => string } {
  const path = join(dir, name);
  mkdirSync(path);
  gitIn(path, ['init', '--quiet', '--initial-branch=main']);
  gitIn(path, ['config', 'user.email', 'tests@example.com']);
  gitIn(path, ['config', 'user.name', 'tests']);
  return {
    path,
    commit: (message) => {
      gitIn(path, ['add', '--all']);
      gitIn(path, ['commit', '--quiet', '-m', message]);
      return gitIn(path, ['rev-parse', 'HEAD']);
    },
  };
}

// The test repositories add submodules from local paths, which git refuses unless allowed.
const addSubmodule = (repo: string, url: string, path: string) =>
  gitIn(repo, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', url, path]);

let sources: string;

before(() => {
  user = createUser('rtcs');
  const dir = (sources = tempDir(undefined, 'checkout-submodule-sources'));
  const deep = repository(dir, 'deep');
  writeFileSync(join(deep.path, 'f'), 'deep one\n');
  deep.commit('deep one');

  const lib = repository(dir, 'lib');
  writeFileSync(join(lib.path, 'f'), 'lib one\n');
  writeFileSync(join(lib.path, '.gitignore'), 'build/\n');
  addSubmodule(lib.path, deep.path, 'vendor/deep');
  const libOne = lib.commit('lib one');
  writeFileSync(join(lib.path, 'f'), 'lib two\n');
  const libTwo = lib.commit('lib two');
  libRevisions = [libOne, libTwo];

  const main = repository(dir, 'app');
  writeFileSync(join(main.path, 'f'), 'app\n');
  addSubmodule(main.path, lib.path, 'lib');
  const recorded = join(main.path, 'lib');
  gitIn(recorded, ['checkout', '--quiet', libOne]);
  const appOne = main.commit('app records lib one');
  gitIn(recorded, ['checkout', '--quiet', libTwo]);
  const appTwo = main.commit('app records lib two');
  // A commit made in the submodule and never pushed to lib: a common mistake.
  writeFileSync(join(recorded, 'f'), 'lib unpushed\n');
  gitIn(recorded, ['-c', 'user.email=tests@example.com', '-c', 'user.name=tests', 'commit', '--quiet', '-am', 'unpushed']);
  const appUnpushed = main.commit('app records an unpushed lib commit');
  gitIn(main.path, ['rm', '--quiet', 'lib']);
  const appWithout = main.commit('app drops lib');
  app = main.path;
  appRevisions = [appOne, appTwo, appUnpushed, appWithout];
  // git refuses to serve a repository owned by another user.
  chownTree(dir, user.uid, user.gid);
});
after(() => {
  removeUser(user);
  rmSync(sources, { recursive: true, force: true });
});

const as = () => ['--user', user.name, '--group', user.group];

function emptyCache(t: { after: (fn: () => void) => void }, label: string): string {
  const cache = join(tempDir(t, label), 'cache');
  mkdirSync(cache);
  return cache;
}

function task(cache: string, checkout: string, revision: string, command: string) {
  return runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', command], {
    env: { TASKCLUSTER_CACHES: cache, VCS_BASE_REPOSITORY: app, VCS_HEAD_REPOSITORY: app, VCS_HEAD_REV: revision },
  });
}

test('a repository with submodules from local paths is checked out complete, nested submodules included', async (t) => {
  const cache = emptyCache(t, 'submodules');
  const checkout = join(cache, 'src');
  const run = await task(cache, checkout, appRevisions[0], 'cat f lib/f lib/vendor/deep/f');
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['app', 'lib one', 'deep one']);
  assert.ok(
    ownLines(run.text, 'vcs').some((l) => new RegExp(`^${checkout} is at ${appRevisions[0]} \\(new clone: .*, submodules \\d+\\.\\d\\d s\\)$`).test(l)),
    run.text,
  );
  assert.equal(gitIn(join(checkout, 'lib'), ['rev-parse', 'HEAD']), libRevisions[0]);
});

test('a reused clone moves the submodule to the commit of the new revision, and cleans inside the submodules', async (t) => {
  const cache = emptyCache(t, 'submodules-reuse');
  const checkout = join(cache, 'src');
  const dirty = [
    'echo changed > lib/f',
    'echo x > lib/untracked',
    'mkdir -p lib/build && echo product > lib/build/out',
    'echo y > lib/vendor/deep/untracked',
  ].join(' && ');
  const first = await task(cache, checkout, appRevisions[0], dirty);
  assert.equal(first.status, 0, first.text);
  assert.ok(existsSync(join(checkout, 'lib/build/out')) && existsSync(join(checkout, 'lib/vendor/deep/untracked')));

  const second = await task(cache, checkout, appRevisions[1], 'cat lib/f lib/vendor/deep/f; ls -A lib lib/vendor/deep');
  assert.equal(second.status, 0, second.text);
  assert.ok(ownLines(second.text, 'vcs').includes(`reusing the clone in ${checkout}`), second.text);
  assert.deepEqual(second.taskLines, ['lib two', 'deep one', 'lib:', '.git', '.gitignore', '.gitmodules', 'f', 'vendor', '', 'lib/vendor/deep:', '.git', 'f']);
  assert.equal(gitIn(join(checkout, 'lib'), ['rev-parse', 'HEAD']), libRevisions[1]);
  assert.equal(gitIn(checkout, ['status', '--porcelain', '--ignore-submodules=none']), '');

  // And back: an older revision's submodule commit is checked out as well.
  const third = await task(cache, checkout, appRevisions[0], 'cat lib/f');
  assert.equal(third.status, 0, third.text);
  assert.deepEqual(third.taskLines, ['lib one']);
});

test('a submodule that the new revision drops leaves nothing behind in a reused clone', async (t) => {
  const cache = emptyCache(t, 'submodules-dropped');
  const checkout = join(cache, 'src');
  const first = await task(cache, checkout, appRevisions[0], 'echo product > lib/untracked');
  assert.equal(first.status, 0, first.text);

  const second = await task(cache, checkout, appRevisions[3], 'ls -A');
  assert.equal(second.status, 0, second.text);
  assert.ok(ownLines(second.text, 'vcs').includes(`reusing the clone in ${checkout}`), second.text);
  const tracked = gitIn(app, ['ls-tree', '--name-only', appRevisions[3]]).split('\n');
  assert.deepEqual(second.taskLines, ['.git', ...tracked].sort());
  assert.ok(!existsSync(join(checkout, 'lib')), 'the working copy of the dropped submodule is removed');
  assert.equal(gitIn(checkout, ['status', '--porcelain', '--ignored']), '');
});

test('a submodule commit that its repository does not have fails at once, naming what to check', async (t) => {
  const cache = emptyCache(t, 'submodules-unpushed');
  const checkout = join(cache, 'src');
  const started = Date.now();
  const run = await task(cache, checkout, appRevisions[2], 'echo must-not-run');
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  // Not retried: asking again would not make the commit appear.
  assert.ok(!run.text.includes('retrying'), run.text);
  assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.includes(`error: cannot update the submodules of ${checkout}`), run.text);
  assert.ok(vcs.some((l) => l.startsWith('a submodule\'s repository, or the commit the checkout records for it, does not exist')), run.text);
});
