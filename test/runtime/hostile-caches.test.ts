// Caches at level 1 are written by untrusted tasks. These are caches such a
// task could leave behind; run-task (as root) must never follow a link, write
// or change the owner of anything outside the cache, or hang.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { asUser, ownLines, requirementsOf, runTask, tempDir, type TestUser, testUser } from './helpers.js';

const a = testUser('rtha');
const b = testUser('rthb');


/** A file outside every cache, owned by root, that no run may change. */
function outsideFile(dir: string, content: string): string {
  const path = join(dir, 'outside', `file-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, 'outside'), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

function cacheOf(dir: string, owner: TestUser): string {
  const cache = join(dir, 'cache');
  mkdirSync(cache);
  writeFileSync(join(cache, '.cacherequires'), requirementsOf(owner), { mode: 0o444 });
  writeFileSync(join(cache, 'content'), 'x');
  chownSync(cache, owner.uid, owner.gid);
  chownSync(join(cache, 'content'), owner.uid, owner.gid);
  return cache;
}

test('a .cachelog linking outside is neither written nor printed', async (t) => {
  const dir = tempDir(t, 'loglink');
  const secret = outsideFile(dir, 'SECRET-LINE\n');
  const cache = cacheOf(dir, a);
  symlinkSync(secret, join(cache, '.cachelog'));

  const used = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(used.status, 0, used.text);
  assert.ok(ownLines(used.text, 'cache').some((l) => l.includes('.cachelog: it is a symbolic link')), used.text);

  const refused = await runTask([...asUser(b), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(refused.status, 72, refused.text);
  assert.ok(!refused.text.includes('SECRET-LINE'), refused.text);
  assert.equal(readFileSync(secret, 'utf8'), 'SECRET-LINE\n');
  assert.equal(statSync(secret).uid, 0);
  assert.ok(lstatSync(join(cache, '.cachelog')).isSymbolicLink());
});

test('a .cacherequires linking to matching requirements outside is not followed', async (t) => {
  const dir = tempDir(t, 'reqlink');
  const outside = outsideFile(dir, requirementsOf(a));
  const cache = join(dir, 'cache');
  mkdirSync(cache);
  writeFileSync(join(cache, 'content'), 'x');
  symlinkSync(outside, join(cache, '.cacherequires'));
  // Followed, the link would say "these are your requirements" and the cache would be used.
  const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'R1' } });
  assert.equal(run.status, 72, run.text);
  assert.ok(ownLines(run.text, 'cache').some((l) => l.includes('.cacherequires of cache') && l.includes('symbolic link')), run.text);
  assert.match(readFileSync(join(cache, '.cachelog'), 'utf8'), /R1\] requirements mismatch; wanted: /);
  assert.equal(readFileSync(outside, 'utf8'), requirementsOf(a));
});

test('re-owning an untrusted cache changes links, never what they point to', async (t) => {
  const dir = tempDir(t, 'chownlinks');
  const outsideTarget = outsideFile(dir, 'keep my owner');
  const outsideDir = join(dir, 'outside-dir');
  mkdirSync(outsideDir);
  writeFileSync(join(outsideDir, 'inner'), 'keep');
  const cache = cacheOf(dir, a);
  mkdirSync(join(cache, 'sub'));
  symlinkSync(outsideTarget, join(cache, 'link-to-file'));
  symlinkSync(outsideDir, join(cache, 'sub', 'link-to-dir'));
  symlinkSync('..', join(cache, 'sub', 'up'));
  for (const p of ['sub', 'link-to-file', 'sub/link-to-dir', 'sub/up']) {
    execFileSync('chown', ['-h', `${a.uid}:${a.gid}`, join(cache, p)]);
  }

  const run = await runTask([...asUser(b), '--', 'true'], {
    env: { TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1', TASK_ID: 'H1' },
  });
  assert.equal(run.status, 0, run.text);
  // What the links point to, outside the cache, is untouched...
  for (const p of [outsideTarget, outsideDir, join(outsideDir, 'inner'), dir]) {
    const stats = lstatSync(p);
    assert.deepEqual([p, stats.uid, stats.gid], [p, 0, 0]);
  }
  // ...while the links themselves now belong to the task's user.
  for (const p of ['link-to-file', 'sub/link-to-dir', 'sub/up', 'sub', 'content']) {
    assert.equal(lstatSync(join(cache, p)).uid, b.uid, p);
  }
  assert.match(readFileSync(join(cache, '.cachelog'), 'utf8'), /H1\] chown; requirements: /);
});

test('a dangling link in an untrusted cache is re-owned without error', async (t) => {
  const cache = cacheOf(tempDir(t, 'dangling'), a);
  symlinkSync('/nonexistent/target', join(cache, 'dangling'));
  const run = await runTask([...asUser(b), '--', 'true'], {
    env: { TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1' },
  });
  assert.equal(run.status, 0, run.text);
  assert.equal(lstatSync(join(cache, 'dangling')).uid, b.uid);
});

test('a .cachelog directory alone is not an empty cache', async (t) => {
  const cache = join(tempDir(t, 'logdironly'), 'cache');
  mkdirSync(join(cache, '.cachelog'), { recursive: true });
  const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(run.status, 72, run.text);
  const lines = ownLines(run.text, 'cache');
  assert.ok(lines.some((l) => l.startsWith(`warning: cannot append to audit log ${cache}/.cachelog: it is a directory`)), run.text);
  assert.ok(lines.includes(`audit log ${cache}/.cachelog is a directory, not a regular file; it is not printed`), run.text);
  assert.deepEqual(readdirSync(cache), ['.cachelog']);
});

test('FIFOs in place of the cache files do not block run-task', async (t) => {
  const cache = cacheOf(tempDir(t, 'fifo'), a);
  execFileSync('rm', [join(cache, '.cacherequires')]);
  execFileSync('mkfifo', [join(cache, '.cacherequires'), join(cache, '.cachelog')]);
  const started = Date.now();
  const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(run.status, 72, run.text);
  assert.ok(Date.now() - started < 10_000);
  const lines = ownLines(run.text, 'cache');
  assert.ok(lines.some((l) => l.includes('.cacherequires of cache') && l.includes('not a regular file')), run.text);
  assert.ok(lines.some((l) => l.startsWith(`warning: cannot append to audit log ${cache}/.cachelog: it is a FIFO`)), run.text);
});

test('hostile requirement lines are printed escaped, one line each', async (t) => {
  const cache = cacheOf(tempDir(t, 'reqbytes'), a);
  execFileSync('chmod', ['0644', join(cache, '.cacherequires')]);
  writeFileSync(join(cache, '.cacherequires'), `gid=${a.gid}\nuid=${a.uid}\nversion=1 \u001b[31mfake\rline`);
  const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache } });
  assert.equal(run.status, 72, run.text);
  assert.ok(!run.text.includes('\u001b') && !run.text.includes('\r'), JSON.stringify(run.text));
  assert.ok(ownLines(run.text, 'cache').some((l) => l.includes('version=1 \\x1b[31mfake\\rline')), run.text);
});

test('a large tree is re-owned completely', async (t) => {
  const cache = cacheOf(tempDir(t, 'bigtree'), a);
  let path = cache;
  for (let depth = 0; depth < 40; depth++) {
    path = join(path, `d${depth}`);
    mkdirSync(path);
    for (let i = 0; i < 50; i++) writeFileSync(join(path, `f${i}`), '');
  }
  execFileSync('chown', ['-R', `${a.uid}:${a.gid}`, cache]);
  const run = await runTask([...asUser(b), '--', 'true'], {
    env: { TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1' },
  });
  assert.equal(run.status, 0, run.text);
  const notOurs = execFileSync('find', [cache, '!', '-uid', String(b.uid), '-o', '!', '-gid', String(b.gid)], { encoding: 'utf8' });
  // The protocol files are written by root after the walk, as on a fresh cache.
  assert.deepEqual(notOurs.trim().split('\n').sort(), [join(cache, '.cachelog'), join(cache, '.cacherequires')]);
  // The root, .cacherequires, content, and 40 directories of 50 files each.
  assert.ok(ownLines(run.text, 'chown').includes(`${3 + 40 * 51} entries of ${cache} now belong to ${b.uid}:${b.gid}`), run.text);
});
