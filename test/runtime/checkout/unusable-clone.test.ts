// A cached clone that git cannot use anymore is replaced by a new clone; one
// that cannot be removed ends the task with 72 so the worker purges the cache;
// a fetch that fails for the network keeps the clone. Real clones, really
// broken, under the built dist/run-task as root switching to a real user.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ownLines, runTask, tempDir } from '../helpers.js';
import { checkoutSuite, chownTree, gitIn } from './repositories.js';

const { user, as, repositories: { source } } = checkoutSuite('rtcu', 'checkout-unusable-sources', ['source']);

interface Cached {
  cache: string;
  checkout: string;
  /** A file in .git that only the first clone has: gone once the clone is replaced. */
  marker: string;
}

/** A cache holding a clone made by a first task at the first revision. */
async function cachedClone(t: { after: (fn: () => void) => void }, label: string, command = 'true'): Promise<Cached> {
  const cache = join(tempDir(t, label), 'cache');
  mkdirSync(cache);
  const checkout = join(cache, 'src');
  const first = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', command], {
    env: env(cache, source.revisions[0]),
  });
  assert.equal(first.status, 0, first.text);
  const marker = join(checkout, '.git', 'made-by-the-first-clone');
  writeFileSync(marker, '');
  return { cache, checkout, marker };
}

function env(cache: string | undefined, rev: string, head = source.path): Record<string, string | undefined> {
  return { TASKCLUSTER_CACHES: cache, VCS_BASE_REPOSITORY: source.path, VCS_HEAD_REPOSITORY: head, VCS_HEAD_REV: rev };
}

/** The second task, at the second revision, printing the file the revision changed. */
function secondTask(cached: Cached, extra: Record<string, string | undefined> = {}) {
  return runTask([...as(), '--vcs-checkout', cached.checkout, '--task-cwd', cached.checkout, '--', 'cat', 'f'], {
    env: { ...env(cached.cache, source.revisions[1]), ...extra },
  });
}

/** The second task replaced the clone, said why, and ran on a complete new clone. */
function assertReplaced(run: Awaited<ReturnType<typeof runTask>>, cached: Cached, why: string): void {
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['two source']);
  const vcs = ownLines(run.text, 'vcs');
  const unusable = vcs.find((l) => l.startsWith(`the cached clone in ${cached.checkout} is unusable: `));
  assert.ok(unusable?.includes(why), `expected "${why}" in the reason\n${run.text}`);
  assert.ok(vcs.includes('removing it to clone afresh (a cached clone is only a cache)'), run.text);
  assert.ok(vcs.includes(`cloning ${source.path} into ${cached.checkout}`), run.text);
  assert.ok(vcs.some((l) => l.startsWith(`${cached.checkout} is at ${source.revisions[1]} (new clone, replacing an unusable one: clone `)), run.text);
  assert.ok(!existsSync(cached.marker), 'the clone was made again');
  assert.equal(gitIn(cached.checkout, ['rev-parse', 'HEAD']), source.revisions[1]);
  assert.equal(gitIn(cached.checkout, ['status', '--porcelain']), '');
  assert.equal(statSync(join(cached.checkout, '.git')).uid, user.uid);
}

test('a cached clone whose HEAD is garbage is replaced by a new clone', async (t) => {
  const cached = await cachedClone(t, 'head');
  writeFileSync(join(cached.checkout, '.git', 'HEAD'), 'garbage\n');
  assertReplaced(await secondTask(cached), cached, 'git does not recognise it as a repository (fatal: not a git repository');
});

test('a cached clone whose .git is an empty directory is replaced by a new clone', async (t) => {
  const cached = await cachedClone(t, 'emptygit');
  rmSync(join(cached.checkout, '.git'), { recursive: true });
  mkdirSync(join(cached.checkout, '.git'));
  chownTree(join(cached.checkout, '.git'), user.uid, user.gid);
  const run = await secondTask(cached);
  assertReplaced(run, cached, 'git does not recognise it as a repository');
});

test('a cached clone that lost its objects is replaced by a new clone', async (t) => {
  const cached = await cachedClone(t, 'noobjects');
  // The clone's loose objects are hard links to the source's: unlinking them here leaves the source whole.
  const objects = join(cached.checkout, '.git', 'objects');
  for (const dir of readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d))) rmSync(join(objects, dir), { recursive: true });
  assertReplaced(await secondTask(cached), cached, 'its HEAD names no commit that the clone holds');
});

test('a cached clone missing one object that the new revision needs is replaced when the checkout fails', async (t) => {
  const cached = await cachedClone(t, 'noblob');
  const blob = gitIn(source.path, ['rev-parse', `${source.revisions[1]}:f`]);
  rmSync(join(cached.checkout, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
  // HEAD and its commit are whole: only the checkout of the second revision can tell.
  assertReplaced(await secondTask(cached), cached, `git checkout of ${source.revisions[1]} exited with `);
});

test('a working copy that git clean cannot clean (a read-only directory a tool left) is replaced by a new clone', async (t) => {
  const cached = await cachedClone(t, 'readonly', 'mkdir -p build/tool/pkg && touch build/tool/pkg/file && chmod 555 build/tool/pkg build/tool');
  assertReplaced(await secondTask(cached), cached, 'git clean exited with ');
  assert.ok(!existsSync(join(cached.checkout, 'build')));
});

test('an unusable clone that cannot be removed ends the task with 72, so that the worker purges the cache', async (t) => {
  const cached = await cachedClone(t, 'purge');
  // Not the task user's to remove (root's, as nothing in a cache should be).
  const locked = join(cached.checkout, 'locked');
  mkdirSync(locked);
  writeFileSync(join(locked, 'file'), '');
  writeFileSync(join(cached.checkout, '.git', 'HEAD'), 'garbage\n');
  const run = await secondTask(cached);
  assert.equal(run.status, 72, run.text);
  assert.deepEqual(run.taskLines, []);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.some((l) => l.startsWith(`the cached clone in ${cached.checkout} is unusable: `)), run.text);
  assert.ok(vcs.includes(`error: cannot remove the unusable clone in ${cached.checkout}: EACCES: permission denied`), run.text);
  assert.ok(
    vcs.includes(`exiting with status 72: the worker purges the task's caches (the cache ${cached.cache} among them) and runs the task again`),
    run.text,
  );
  assert.ok(!vcs.some((l) => l.startsWith('cloning')), run.text);
  // What could go went, .git last: nothing but the root-owned directory is left.
  assert.deepEqual(readdirSync(cached.checkout).sort(), ['.git', 'locked']);
});

test('outside every cache, an unusable clone that cannot be removed is an error (exit 1): no purge would help', async (t) => {
  const dir = tempDir(t, 'nocache');
  chownTree(dir, user.uid, user.gid);
  const checkout = join(dir, 'src');
  const first = await runTask([...as(), '--vcs-checkout', checkout, '--', 'true'], { env: env(undefined, source.revisions[0]) });
  assert.equal(first.status, 0, first.text);
  mkdirSync(join(checkout, 'locked'));
  writeFileSync(join(checkout, 'locked', 'file'), '');
  writeFileSync(join(checkout, '.git', 'HEAD'), 'garbage\n');
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--', 'sh', '-c', 'echo must-not-run'], { env: env(undefined, source.revisions[1]) });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.includes(`error: cannot remove the unusable clone in ${checkout}: EACCES: permission denied`), run.text);
  assert.ok(vcs.includes(`it is in no cache that run-task knows of: remove ${checkout}, or purge the cache that holds it`), run.text);
});

test('a broken clone nested in another checkout is replaced, and the outer clone is left alone', async (t) => {
  const cache = join(tempDir(t, 'nested'), 'cache');
  mkdirSync(cache);
  const outer = join(cache, 'src');
  const inner = join(outer, 'sub');
  const run = (rev: 0 | 1) =>
    runTask([...as(), '--vcs-checkout', outer, '--extra-checkout', inner, '--task-cwd', inner, '--', 'cat', 'f'], {
      env: {
        TASKCLUSTER_CACHES: cache,
        REPOSITORIES: '{"vcs": "repository", "extra": "extra"}',
        ...env(cache, source.revisions[rev]),
        EXTRA_HEAD_REPOSITORY: source.path,
        EXTRA_HEAD_REV: source.revisions[rev],
      },
    });
  assert.equal((await run(0)).status, 0);
  const outerMarker = join(outer, '.git', 'made-by-the-first-clone');
  writeFileSync(outerMarker, '');
  // git would find the outer repository above an empty .git, if nothing stopped it.
  rmSync(join(inner, '.git'), { recursive: true });
  mkdirSync(join(inner, '.git'));
  chownTree(join(inner, '.git'), user.uid, user.gid);
  const second = await run(1);
  assert.equal(second.status, 0, second.text);
  assert.deepEqual(second.taskLines, ['two source']);
  const vcs = ownLines(second.text, 'vcs');
  assert.ok(vcs.some((l) => l.startsWith(`the cached clone in ${inner} is unusable: git does not recognise it as a repository`)), second.text);
  assert.ok(!vcs.some((l) => l.startsWith(`the cached clone in ${outer} is unusable`)), second.text);
  assert.ok(existsSync(outerMarker), 'the outer clone was reused');
  assert.equal(gitIn(inner, ['rev-parse', 'HEAD']), source.revisions[1]);
});

test('a fetch that fails for the network keeps the cached clone for the next task (exit 1)', async (t) => {
  const cached = await cachedClone(t, 'network');
  const bin = tempDir(t, 'unreachable-ssh');
  writeFileSync(
    join(bin, 'ssh'),
    '#!/bin/sh\necho "ssh: connect to host git.example.com port 22: Connection refused" >&2\nexit 255\n',
    { mode: 0o755 },
  );
  const head = `ssh://git.example.com${source.path}`;
  // A revision the clone does not have, so that git must connect.
  const fresh = 'feedface'.repeat(5);
  const run = await runTask([...as(), '--vcs-checkout', cached.checkout, '--', 'sh', '-c', 'echo must-not-run'], {
    env: { ...env(cached.cache, fresh, head), PATH: `${bin}:${process.env.PATH}` },
  });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.includes(`error: cannot fetch the revision ${fresh} from ${head} into ${cached.checkout} (5 attempts)`), run.text);
  assert.ok(vcs.includes('the head repository could not be reached; the task can be rerun'), run.text);
  assert.ok(!vcs.some((l) => l.includes(' is unusable')), run.text);
  assert.ok(vcs.includes('last git output: ssh: connect to host git.example.com port 22: Connection refused | fatal: Could not read from remote repository.'), run.text);
  assert.ok(existsSync(cached.marker), 'the clone is kept');

  const next = await secondTask(cached);
  assert.equal(next.status, 0, next.text);
  assert.deepEqual(next.taskLines, ['two source']);
  assert.ok(ownLines(next.text, 'vcs').includes(`reusing the clone in ${cached.checkout}`), next.text);
  assert.ok(existsSync(cached.marker));
});
