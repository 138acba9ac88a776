// Checkouts end to end: the built dist/run-task, as root, switching to a real
// user, cloning real repositories served from local paths into real caches.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ownLines, runTask, tempDir } from '../helpers.js';
import { checkoutSuite, gitIn } from './repositories.js';

const { user, as, repositories: { source } } = checkoutSuite('rtck', 'checkout-sources', ['source']);

/** An empty cache directory, as the worker mounts it. */
function emptyCache(t: { after: (fn: () => void) => void }, label: string): string {
  const cache = join(tempDir(t, label), 'cache');
  mkdirSync(cache);
  return cache;
}

function vcsEnv(cache: string, rev: string | undefined, more: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    TASKCLUSTER_CACHES: cache,
    VCS_BASE_REPOSITORY: source.path,
    VCS_HEAD_REPOSITORY: source.path,
    VCS_HEAD_REV: rev,
    VCS_REPOSITORY_TYPE: 'git',
    ...more,
  };
}

test('first clone: the revision is checked out detached, as the task user, and the command runs in it', async (t) => {
  const cache = emptyCache(t, 'first');
  const checkout = join(cache, 'src');
  const [first] = source.revisions;
  const run = await runTask(
    [...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', 'pwd; cat f; echo "path=$VCS_PATH"; id -u'],
    { env: vcsEnv(cache, first, { VCS_PATH: cache }) },
  );
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, [checkout, 'one source', `path=${cache}`, String(user.uid)]);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.includes(`cloning ${source.path} into ${checkout}`), run.text);
  assert.ok(vcs.some((l) => new RegExp(`^${checkout} is at ${first} \\(new clone: clone \\d+\\.\\d\\d s, fetch \\d+\\.\\d\\d s, `).test(l)), run.text);
  assert.ok(ownLines(run.text, 'setup').includes(`VCS_PATH is ${cache}`), run.text);
  assert.equal(gitIn(checkout, ['rev-parse', 'HEAD']), first);
  // Detached: no branch of the clone moved to the task's revision.
  assert.equal(gitIn(checkout, ['rev-parse', '--abbrev-ref', 'HEAD']), 'HEAD');
  for (const path of [checkout, join(checkout, '.git'), join(checkout, 'f')]) {
    assert.equal(statSync(path).uid, user.uid, `${path} must belong to the task user`);
  }
  // git printed no lines of its own before the switch: the clone is the user's.
  const switched = run.text.indexOf('running as');
  assert.ok(switched !== -1 && switched < run.text.indexOf('cloning'), run.text);
});

test('reuse at a new revision removes what the previous task left: build products, untracked and changed files, a nested repository', async (t) => {
  const cache = emptyCache(t, 'reuse');
  const checkout = join(cache, 'src');
  const [first, second] = source.revisions;
  const dirty = [
    'mkdir -p build deep/dir && echo product > build/out && echo x > untracked && echo changed > f',
    'git init --quiet deep/dir/nested && echo inner > deep/dir/nested/file',
  ].join(' && ');
  const firstRun = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', dirty], {
    env: vcsEnv(cache, first),
  });
  assert.equal(firstRun.status, 0, firstRun.text);
  assert.ok(existsSync(join(checkout, 'deep/dir/nested/.git')) && existsSync(join(checkout, 'build/out')));
  const marker = join(checkout, '.git', 'kept-by-clone');
  writeFileSync(marker, '');

  const secondRun = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', 'cat f; ls -A'], {
    env: vcsEnv(cache, second),
  });
  assert.equal(secondRun.status, 0, secondRun.text);
  assert.deepEqual(secondRun.taskLines, ['two source', '.git', '.gitignore', 'f']);
  const vcs = ownLines(secondRun.text, 'vcs');
  assert.ok(vcs.includes(`reusing the clone in ${checkout}`), secondRun.text);
  assert.ok(!vcs.some((l) => l.startsWith('cloning')), secondRun.text);
  assert.ok(vcs.some((l) => l.startsWith(`${checkout} is at ${second} (reused clone: fetch `)), secondRun.text);
  assert.ok(existsSync(marker), 'the clone itself was reused, not made again');
  assert.equal(gitIn(checkout, ['rev-parse', 'HEAD']), second);
});

test('a ref instead of a revision checks out the ref\'s tip', async (t) => {
  const cache = emptyCache(t, 'ref');
  const checkout = join(cache, 'src');
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', 'cat f; echo "$VCS_HEAD_REV"'], {
    env: vcsEnv(cache, undefined, { VCS_HEAD_REF: 'refs/heads/feature' }),
  });
  assert.equal(run.status, 0, run.text);
  // The command learns the revision the ref pointed to.
  assert.deepEqual(run.taskLines, ['feature source', source.feature]);
  assert.ok(ownLines(run.text, 'vcs').includes(`refs/heads/feature is ${source.feature} in ${source.path}`), run.text);
  assert.equal(gitIn(checkout, ['rev-parse', 'HEAD']), source.feature);
});

test('a revision and its ref: the exact revision is checked out even when the ref has moved on', async (t) => {
  const cache = emptyCache(t, 'revref');
  const checkout = join(cache, 'src');
  const [first] = source.revisions;
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--', 'true'], {
    env: vcsEnv(cache, first, { VCS_HEAD_REF: 'main' }),
  });
  assert.equal(run.status, 0, run.text);
  assert.equal(gitIn(checkout, ['rev-parse', 'HEAD']), first);
});

test('a revision that does not exist fails at once, before the command, and leaves the clone usable', async (t) => {
  const cache = emptyCache(t, 'missing');
  const checkout = join(cache, 'src');
  const [first] = source.revisions;
  const missing = 'deadbeef'.repeat(5);
  const started = Date.now();
  const bad = await runTask([...as(), '--vcs-checkout', checkout, '--', 'sh', '-c', 'echo must-not-run'], {
    env: vcsEnv(cache, missing),
  });
  assert.equal(bad.status, 1, bad.text);
  assert.deepEqual(bad.taskLines, []);
  // Not retried: the answer would not change.
  assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  const vcs = ownLines(bad.text, 'vcs');
  assert.ok(vcs.includes(`error: cannot fetch the revision ${missing} from ${source.path} into ${checkout}`), bad.text);
  assert.ok(vcs.some((l) => l.startsWith('the head repository does not have it: check VCS_HEAD_REPOSITORY and VCS_HEAD_REV/VCS_HEAD_REF')), bad.text);
  assert.ok(!vcs.some((l) => l.includes('retrying')), bad.text);

  const good = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'cat', 'f'], { env: vcsEnv(cache, first) });
  assert.equal(good.status, 0, good.text);
  assert.deepEqual(good.taskLines, ['one source']);
  assert.ok(ownLines(good.text, 'vcs').includes(`reusing the clone in ${checkout}`), good.text);
});

test('a checkout into the root of a cache is refused, and the cache keeps its requirements', async (t) => {
  const cache = emptyCache(t, 'root');
  const run = await runTask([...as(), '--vcs-checkout', `${cache}/`, '--', 'sh', '-c', 'echo must-not-run'], {
    env: vcsEnv(cache, source.revisions[0]),
  });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  const line = ownLines(run.text, 'vcs').find((l) => l.startsWith(`error: checkout ${cache} (--vcs-checkout) is the root of the cache ${cache}`));
  assert.ok(line?.includes('Check out into a directory inside the cache'), run.text);
  assert.ok(existsSync(join(cache, '.cacherequires')));
  assert.ok(!existsSync(join(cache, '.git')));
});

test('a checkout outside every cache is warned about; its missing parents are made for the task user', async (t) => {
  const dir = tempDir(t, 'nocache');
  const checkout = join(dir, 'a', 'b', 'src');
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--', 'true'], {
    env: { ...vcsEnv('', source.revisions[1]), TASKCLUSTER_CACHES: undefined },
  });
  assert.equal(run.status, 0, run.text);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.some((l) => l.startsWith(`warning: checkout ${checkout} is in no cache or volume`)), run.text);
  assert.ok(vcs.includes(`created ${join(dir, 'a')}, ${join(dir, 'a', 'b')} for ${user.uid}:${user.gid}`), run.text);
  for (const made of [join(dir, 'a'), join(dir, 'a', 'b')]) assert.equal(statSync(made).uid, user.uid);
  // What existed before stays root's.
  assert.equal(statSync(dir).uid, 0);
  assert.equal(readFileSync(join(checkout, 'f'), 'utf8'), 'two source\n');
});

test('a symbolic link in a cache is not followed to make the parents', async (t) => {
  const cache = emptyCache(t, 'link');
  const outside = tempDir(t, 'outside');
  // An earlier task of the same cache planted the link.
  const planting = await runTask([...as(), '--', 'ln', '-s', outside, join(cache, 'planted')], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(planting.status, 0, planting.text);
  const run = await runTask([...as(), '--vcs-checkout', join(cache, 'planted', 'sub', 'src'), '--', 'sh', '-c', 'echo must-not-run'], {
    env: vcsEnv(cache, source.revisions[0]),
  });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  assert.ok(
    ownLines(run.text, 'vcs').some((l) => l.startsWith(`error: cannot prepare the parent directory of checkout ${join(cache, 'planted', 'sub', 'src')}: ${join(cache, 'planted')}: it is a symbolic link inside ${cache}`)),
    run.text,
  );
  assert.ok(!existsSync(join(outside, 'sub')), 'nothing may be created through the link');
  assert.ok(lstatSync(join(cache, 'planted')).isSymbolicLink());
});

test('path variables are made absolute and printed; --task-cwd may be relative inside the checkout', async (t) => {
  const cache = emptyCache(t, 'env');
  const workdir = dirname(cache);
  const run = await runTask(
    [...as(), '--vcs-checkout', 'cache/src', '--task-cwd', 'cache/src', '--', 'sh', '-c', 'echo "$UPLOAD_DIR|$PIP_CACHE_DIR|$VCS_PATH|$CARGO_HOME|$EXTRA_PATH"; cat f'],
    {
      cwd: workdir,
      env: vcsEnv(cache, source.revisions[0], {
        REPOSITORIES: '{"vcs": "repository", "extra": "extra"}',
        UPLOAD_DIR: 'artifacts',
        PIP_CACHE_DIR: '/abs/pip/../pip',
        VCS_PATH: 'cache',
        EXTRA_PATH: 'cache/x',
      }),
    },
  );
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, [`${join(workdir, 'artifacts')}|/abs/pip|${cache}||${join(cache, 'x')}`, 'one source']);
  const setup = ownLines(run.text, 'setup');
  for (const line of [`UPLOAD_DIR is ${join(workdir, 'artifacts')}`, 'PIP_CACHE_DIR is /abs/pip', `VCS_PATH is ${cache}`, `EXTRA_PATH is ${join(cache, 'x')}`]) {
    assert.ok(setup.includes(line), `${line}\n${run.text}`);
  }
  assert.ok(!setup.some((l) => l.startsWith('CARGO_HOME')), run.text);
});
