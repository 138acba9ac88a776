// TASKCLUSTER_VOLUMES: volumes must start empty and are given to the task's user.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { asUser, ownLines, runTask, tempDir, testUser } from './helpers.js';

const a = testUser('rtva');


test('an empty volume is given to the task user', async (t) => {
  const volume = join(tempDir(t, 'vol'), 'volume');
  mkdirSync(volume, { mode: 0o755 });
  const run = await runTask([...asUser(a), '--', 'sh', '-c', 'touch "$0/made" && echo ok', volume], {
    env: { TASKCLUSTER_VOLUMES: volume },
  });
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['ok']);
  const stats = statSync(volume);
  assert.deepEqual([stats.uid, stats.gid], [a.uid, a.gid]);
  assert.equal(statSync(join(volume, 'made')).uid, a.uid);
  assert.ok(ownLines(run.text, 'volume').includes(`changing the owner of volume ${volume} to ${a.uid}:${a.gid}`), run.text);
});

test('a non-empty volume is an error listing its entries', async (t) => {
  const volume = join(tempDir(t, 'volfull'), 'volume');
  mkdirSync(join(volume, 'built-dir'), { recursive: true });
  writeFileSync(join(volume, 'a file'), '');
  const run = await runTask([...asUser(a), '--', 'sh', '-c', 'echo must-not-run'], { env: { TASKCLUSTER_VOLUMES: volume } });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  const lines = ownLines(run.text, 'volume');
  assert.ok(lines.includes(`error: volume ${volume} is not empty; volumes must start empty.`), run.text);
  assert.ok(lines.includes(`entries in ${volume}: "a file" "built-dir"`), run.text);
  assert.equal(statSync(volume).uid, 0);
});

test('a volume that is also a cache is prepared as a cache only', async (t) => {
  const cache = join(tempDir(t, 'volcache'), 'cache');
  mkdirSync(cache);
  const run = await runTask([...asUser(a), '--', 'true'], {
    env: { TASKCLUSTER_VOLUMES: `${cache}/`, TASKCLUSTER_CACHES: cache },
  });
  assert.equal(run.status, 0, run.text);
  // Non-empty once the cache is set up; as a volume it would have been refused.
  assert.deepEqual(readdirSync(cache).sort(), ['.cachelog', '.cacherequires']);
  assert.ok(ownLines(run.text, 'volume').includes(`volume ${cache}/ is a cache; it was prepared as a cache`), run.text);
});

test('a volume path that is not a directory is an error', async (t) => {
  const file = join(tempDir(t, 'volfile'), 'file');
  writeFileSync(file, '');
  const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_VOLUMES: file } });
  assert.equal(run.status, 1, run.text);
  assert.ok(ownLines(run.text, 'volume').some((l) => l.startsWith(`error: volume ${file} is not a directory`)), run.text);
});
