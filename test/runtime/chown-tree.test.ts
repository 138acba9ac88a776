// Re-owning a cache (src/runtime/caches/chown-tree.ts) by its two routes: the
// image's chown with a walk beside it for directory modes, and the walk alone
// when no chown can be trusted or when chown fails. Real trees, users and
// programs; the programs offered as "the system chown" are real files.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chownTree, SYSTEM_CHOWN, trustedChown } from '../../src/runtime/caches/chown-tree.js';
import { tempDir, testUser } from './helpers.js';

const owner = testUser('rtco');

/** A tree with a closed directory, a link out of it, a link to a directory and a dangling link; returns its entry count. */
function hostileTree(dir: string): { root: string; outside: string; entries: number } {
  const root = join(dir, 'cache');
  const outside = join(dir, 'outside');
  mkdirSync(outside);
  mkdirSync(join(root, 'closed', 'deep'), { recursive: true });
  writeFileSync(join(root, 'closed', 'deep', 'file'), 'x');
  writeFileSync(join(root, 'top'), 'x');
  symlinkSync(outside, join(root, 'link-to-dir'));
  symlinkSync('/nonexistent', join(root, 'closed', 'dangling'));
  chmodSync(join(root, 'closed'), 0o500);
  // root, closed, closed/deep, closed/deep/file, top, link-to-dir, closed/dangling
  return { root, outside, entries: 7 };
}

function assertGiven(root: string, outside: string, uid: number, gid: number): void {
  for (const p of ['', 'closed', 'closed/deep', 'closed/deep/file', 'top', 'link-to-dir', 'closed/dangling']) {
    const stats = lstatSync(join(root, p));
    assert.deepEqual([p, stats.uid, stats.gid], [p, uid, gid]);
  }
  assert.equal(statSync(join(root, 'closed')).mode & 0o777, 0o700, 'a directory the owner could not clean is opened to the owner');
  assert.equal(lstatSync(outside).uid, 0, 'the target of a link is not re-owned');
}

/** A root-owned program that is not writable by others: what trustedChown accepts. */
function program(dir: string, name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return path;
}

test('the image chown changes the owners, the walk beside it opens directories and counts', async (t) => {
  const dir = tempDir(t, 'chown-system');
  const tree = hostileTree(dir);
  const system = trustedChown(SYSTEM_CHOWN, tree.root);
  assert.ok(system, 'this machine has a chown in /usr/bin or /bin');
  const calls = join(dir, 'calls');
  const wrapper = program(dir, 'chown', `echo "$@" >> ${calls}\nexec ${system} "$@"`);

  const result = await chownTree(tree.root, owner.uid, owner.gid, [wrapper]);
  assert.deepEqual(result, { count: tree.entries });
  assert.equal(readFileSync(calls, 'utf8'), `-R -h ${owner.uid}:${owner.gid} -- ${tree.root}\n`);
  assertGiven(tree.root, tree.outside, owner.uid, owner.gid);
});

test('without a system chown, run-task changes every owner itself', async (t) => {
  const dir = tempDir(t, 'chown-none');
  const tree = hostileTree(dir);
  const result = await chownTree(tree.root, owner.uid, owner.gid, [join(dir, 'no-such-chown')]);
  assert.deepEqual(result, { count: tree.entries });
  assertGiven(tree.root, tree.outside, owner.uid, owner.gid);
});

test('a chown that fails is reported and run-task changes the owners itself', async (t) => {
  const dir = tempDir(t, 'chown-fails');
  const tree = hostileTree(dir);
  const failing = program(dir, 'chown', 'echo "chown: cannot access somewhere" >&2\necho second line >&2\nexit 3');
  const result = await chownTree(tree.root, owner.uid, owner.gid, [failing]);
  assert.deepEqual(result, { count: tree.entries, chownFailed: `${failing} exited with 3: chown: cannot access somewhere` });
  assertGiven(tree.root, tree.outside, owner.uid, owner.gid);
});

test('only a root-owned program that nobody else can replace, outside the tree, is trusted as chown', (t) => {
  const dir = tempDir(t, 'chown-trust');
  const root = join(dir, 'cache');
  mkdirSync(join(root, 'bin'), { recursive: true });
  const good = program(dir, 'good', 'exit 0');
  const foreign = program(dir, 'foreign', 'exit 0');
  chownSync(foreign, owner.uid, owner.gid);
  const writable = program(dir, 'writable', 'exit 0');
  chmodSync(writable, 0o777);
  const notExecutable = join(dir, 'plain');
  writeFileSync(notExecutable, '', { mode: 0o644 });
  const inside = program(join(root, 'bin'), 'chown', 'exit 0');
  const linkToInside = join(dir, 'link-inside');
  symlinkSync(inside, linkToInside);

  for (const refused of [foreign, writable, notExecutable, inside, linkToInside, join(dir, 'missing'), dir]) {
    assert.equal(trustedChown([refused], root), undefined, refused);
  }
  assert.equal(trustedChown([foreign, inside, good, writable], root), good, 'the first trusted one');
});

test('a root that is not a directory is refused before anything runs', async (t) => {
  const dir = tempDir(t, 'chown-file');
  const file = join(dir, 'file');
  writeFileSync(file, '');
  await assert.rejects(chownTree(file, owner.uid, owner.gid), { message: `${file} is not a directory` });
  assert.equal(lstatSync(file).uid, 0);
});
