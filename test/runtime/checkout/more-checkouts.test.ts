// Checkouts beyond the single full clone: shallow clones, two repositories
// (one nested in the other), running without root, what an interrupted
// earlier task leaves, and the option and environment errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ownLines, runTask, tempDir } from '../helpers.js';
import { checkoutSuite, chownTree, gitIn, type SourceRepository } from './repositories.js';

const { user, as, repositories: { source, extra } } = checkoutSuite('rtcm', 'checkout-more-sources', ['source', 'extra']);

function emptyCache(t: { after: (fn: () => void) => void }, label: string): string {
  const cache = join(tempDir(t, label), 'cache');
  mkdirSync(cache);
  return cache;
}

function repoEnv(prefix: string, repo: SourceRepository | string, rev: string | undefined): Record<string, string | undefined> {
  const url = typeof repo === 'string' ? repo : repo.path;
  const upper = prefix.toUpperCase();
  return { [`${upper}_BASE_REPOSITORY`]: url, [`${upper}_HEAD_REPOSITORY`]: url, [`${upper}_HEAD_REV`]: rev };
}

test('a shallow clone holds only the wanted revision, and stays shallow when reused', async (t) => {
  const cache = emptyCache(t, 'shallow');
  const checkout = join(cache, 'src');
  // git ignores --depth for plain local paths; a file:// URL behaves as a remote.
  const url = `file://${source.path}`;
  const [first, second] = source.revisions;
  for (const rev of [second, first]) {
    const run = await runTask([...as(), '--vcs-checkout', checkout, '--vcs-shallow-clone', '--task-cwd', checkout, '--', 'cat', 'f'], {
      env: { TASKCLUSTER_CACHES: cache, ...repoEnv('vcs', url, rev) },
    });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, [rev === first ? 'one source' : 'two source']);
    assert.equal(gitIn(checkout, ['rev-parse', 'HEAD']), rev);
    assert.equal(gitIn(checkout, ['rev-parse', '--is-shallow-repository']), 'true');
  }
  // Only what was asked for was fetched: no history behind the first revision.
  assert.equal(gitIn(checkout, ['rev-list', '--count', source.revisions[0]]), '1');
});

test('two repositories, one nested in the other: parents first, and the nested clone survives the outer cleaning', async (t) => {
  const cache = emptyCache(t, 'two');
  const outer = join(cache, 'src');
  const inner = join(outer, 'third_party', 'extra');
  const args = [...as(), '--extra-checkout', inner, '--vcs-checkout', outer, '--task-cwd', outer, '--', 'sh', '-c', 'cat f third_party/extra/f'];
  const env = (rev: 0 | 1) => ({
    TASKCLUSTER_CACHES: cache,
    REPOSITORIES: '{"vcs": "repository", "extra": "extra repository"}',
    ...repoEnv('vcs', source, source.revisions[rev]),
    ...repoEnv('extra', extra, extra.revisions[rev]),
  });
  const firstRun = await runTask(args, { env: env(0) });
  assert.equal(firstRun.status, 0, firstRun.text);
  assert.deepEqual(firstRun.taskLines, ['one source', 'one extra']);
  const vcs = ownLines(firstRun.text, 'vcs');
  const outerAt = vcs.findIndex((l) => l.startsWith(`${outer} is at `));
  const innerCloned = vcs.indexOf(`cloning ${extra.path} into ${inner}`);
  assert.ok(outerAt !== -1 && innerCloned > outerAt, `the outer checkout comes first\n${firstRun.text}`);
  assert.ok(vcs.includes(`${inner} is inside the checkout ${outer}; it is set up after it`), firstRun.text);
  writeFileSync(join(inner, 'build-product'), '');

  const secondRun = await runTask(args, { env: env(1) });
  assert.equal(secondRun.status, 0, secondRun.text);
  assert.deepEqual(secondRun.taskLines, ['two source', 'two extra']);
  const again = ownLines(secondRun.text, 'vcs');
  assert.ok(again.includes(`reusing the clone in ${outer}`) && again.includes(`reusing the clone in ${inner}`), secondRun.text);
  assert.ok(!existsSync(join(inner, 'build-product')), 'the nested checkout is cleaned by its own checkout');
  assert.equal(gitIn(inner, ['rev-parse', 'HEAD']), extra.revisions[1]);
});

test('without root, run-task checks out as the user it runs as', async (t) => {
  const dir = tempDir(t, 'nonroot');
  chownTree(dir, user.uid, user.gid);
  const checkout = join(dir, 'parent', 'src');
  const run = await runTask(['--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', 'cat f; id -u'], {
    uid: user.uid,
    gid: user.gid,
    env: { HOME: dir, ...repoEnv('vcs', source, source.revisions[1]) },
  });
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['two source', String(user.uid)]);
  assert.ok(!ownLines(run.text, 'setup').some((l) => l.startsWith('running as')), run.text);
});

test('a lock left by an interrupted git command does not make the cached clone unusable', async (t) => {
  const cache = emptyCache(t, 'lock');
  const checkout = join(cache, 'src');
  const env = (rev: string) => ({ TASKCLUSTER_CACHES: cache, ...repoEnv('vcs', source, rev) });
  const first = await runTask([...as(), '--vcs-checkout', checkout, '--', 'true'], { env: env(source.revisions[0]) });
  assert.equal(first.status, 0, first.text);
  const lock = join(checkout, '.git', 'index.lock');
  writeFileSync(lock, '');
  const second = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'cat', 'f'], { env: env(source.revisions[1]) });
  assert.equal(second.status, 0, second.text);
  assert.deepEqual(second.taskLines, ['two source']);
  assert.ok(ownLines(second.text, 'vcs').some((l) => l.startsWith(`removing ${lock}, left by a git command`)), second.text);
});

test('a checkout path that holds files but no clone is a clear error', async (t) => {
  const cache = emptyCache(t, 'notgit');
  const checkout = join(cache, 'src');
  const seed = await runTask([...as(), '--', 'sh', '-c', `mkdir ${checkout} && touch ${checkout}/leftover`], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(seed.status, 0, seed.text);
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--', 'sh', '-c', 'echo must-not-run'], {
    env: { TASKCLUSTER_CACHES: cache, ...repoEnv('vcs', source, source.revisions[0]) },
  });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  assert.ok(ownLines(run.text, 'vcs').includes(`error: checkout of repository into ${checkout} failed: ${checkout} is not empty and holds no git clone (no .git); a task may have written there without checking out,`), run.text);
  assert.ok(existsSync(join(checkout, 'leftover')), 'nothing is deleted on a guess');
});

test('options and environment that cannot make a checkout are clear errors before any git runs', async (t) => {
  const dir = tempDir(t, 'errors');
  const checkout = join(dir, 'src');
  const rev = source.revisions[0];
  const cases: { args: string[]; env: Record<string, string | undefined>; error: string }[] = [
    {
      args: ['--vcs-checkout', checkout],
      env: { VCS_HEAD_REPOSITORY: source.path },
      error: `error: --vcs-checkout ${checkout} needs VCS_HEAD_REV (a revision) or VCS_HEAD_REF (a branch or tag); neither is set`,
    },
    {
      args: ['--vcs-checkout', checkout],
      env: { VCS_HEAD_REV: rev },
      error: `error: --vcs-checkout ${checkout} needs VCS_HEAD_REPOSITORY, the repository to fetch the revision from; it is not set`,
    },
    {
      args: ['--vcs-checkout', checkout],
      env: { ...repoEnv('vcs', source, rev), VCS_REPOSITORY_TYPE: 'hg' },
      error: 'error: VCS_REPOSITORY_TYPE is hg: this run-task checks out git repositories only',
    },
    {
      args: ['--vcs-checkout', checkout, '--vcs-sparse-profile', 'build/sparse-profiles/docs'],
      env: repoEnv('vcs', source, rev),
      error: 'error: --vcs-sparse-profile build/sparse-profiles/docs: sparse profiles are a Mercurial feature, not supported for git checkouts',
    },
    {
      args: ['--vcs-shallow-clone'],
      env: repoEnv('vcs', source, rev),
      error: 'error: --vcs-shallow-clone is given without --vcs-checkout; give the checkout\'s path too, or leave the option out',
    },
    {
      args: ['--gecko-checkout', checkout],
      env: repoEnv('gecko', source, rev),
      error: 'error: --gecko-checkout names the repository prefix "gecko", which REPOSITORIES does not define',
    },
    {
      args: ['--vcs-checkout', checkout],
      env: { ...repoEnv('vcs', source, rev), REPOSITORIES: '{vcs: repository}' },
      error: 'error: REPOSITORIES is not valid JSON',
    },
  ];
  for (const c of cases) {
    const run = await runTask([...as(), ...c.args, '--', 'sh', '-c', 'echo must-not-run'], { env: c.env });
    assert.equal(run.status, 1, run.text);
    assert.deepEqual(run.taskLines, []);
    assert.ok(ownLines(run.text, 'vcs').some((l) => l.startsWith(c.error)), `${c.error}\n${run.text}`);
    assert.ok(!existsSync(checkout), run.text);
  }
  const flag = await runTask([...as(), '--vcs-checkout', checkout, '--vcs-shallow-clone=yes', '--', 'true'], { env: repoEnv('vcs', source, rev) });
  assert.equal(flag.status, 1, flag.text);
  assert.ok(ownLines(flag.text, 'setup').includes('error: option --vcs-shallow-clone takes no value'), flag.text);
});

test('a fetch that fails for a reason that may pass is retried', async (t) => {
  const cache = emptyCache(t, 'retry');
  const checkout = join(cache, 'src');
  // The head repository is reached over "ssh": a stand-in for the network that
  // refuses the first connection, then serves the local repository.
  const bin = tempDir(t, 'flaky-ssh');
  chownTree(bin, user.uid, user.gid);
  const ssh = join(bin, 'ssh');
  writeFileSync(
    ssh,
    [
      '#!/bin/sh',
      `if [ ! -e ${bin}/refused ]; then touch ${bin}/refused; echo "ssh: connect to host git.example.com port 22: Connection refused" >&2; exit 255; fi`,
      'for last; do :; done',
      'exec sh -c "$last"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const rev = source.revisions[1];
  const started = Date.now();
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'cat', 'f'], {
    env: {
      TASKCLUSTER_CACHES: cache,
      // Cloned from another repository, so that the revision must be fetched
      // (git does not connect for a revision it already has).
      VCS_BASE_REPOSITORY: extra.path,
      VCS_HEAD_REPOSITORY: `ssh://git.example.com${source.path}`,
      VCS_HEAD_REV: rev,
      GIT_SSH_COMMAND: ssh,
      // Else git first runs it with -G to learn which ssh it is.
      GIT_SSH_VARIANT: 'simple',
    },
  });
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['two source']);
  assert.ok(
    ownLines(run.text, 'vcs').includes(`git fetch of ${rev} from ssh://git.example.com${source.path} failed (exit 128, attempt 1 of 5); retrying in 2 s`),
    run.text,
  );
  assert.ok(Date.now() - started >= 2000, 'the retry waited');
});

test('an image without git is told so, without retries', async (t) => {
  const cache = emptyCache(t, 'nogit');
  const checkout = join(cache, 'src');
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--', 'true'], {
    env: { PATH: tempDir(t, 'empty-path'), TASKCLUSTER_CACHES: cache, ...repoEnv('vcs', source, source.revisions[0]) },
  });
  assert.equal(run.status, 1, run.text);
  assert.ok(
    ownLines(run.text, 'vcs').includes(`error: checkout of repository into ${checkout} failed: cannot run git: spawn git ENOENT; install git in the image`),
    run.text,
  );
  assert.ok(!run.text.includes('retrying'), run.text);
});
