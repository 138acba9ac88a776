// Every state of the cache protocol (DESIGN.md, "Run time"), run through the
// built bundle as root with real users, checking the exact files and audit
// lines each state leaves behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { asUser, ISO_TIME, ownLines, requirementsOf, runTask, tempDir, type TestUser, testUser } from './helpers.js';

const a = testUser('rtca');
const b = testUser('rtcb');

const described = (u: TestUser) => `gid=${u.gid}, uid=${u.uid}, version=1`;
const auditLines = (cache: string) => readFileSync(join(cache, '.cachelog'), 'utf8').split('\n').slice(0, -1);
const entry = (taskId: string, message: string) => new RegExp(`^\\[${ISO_TIME} ${taskId}\\] ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** A cache as an earlier run for `owner` would have left it, with some content. */
function populatedCache(parent: string, owner: TestUser, name = 'cache'): string {
  const cache = join(parent, name);
  mkdirSync(join(cache, 'sub', 'deep'), { recursive: true });
  writeFileSync(join(cache, '.cacherequires'), requirementsOf(owner), { mode: 0o444 });
  writeFileSync(join(cache, '.cachelog'), `[2026-01-01T00:00:00.000Z earlier] created; requirements: ${described(owner)}\n`);
  writeFileSync(join(cache, 'sub', 'deep', 'file'), 'data');
  writeFileSync(join(cache, 'top'), 'data');
  for (const p of ['', 'sub', 'sub/deep', 'sub/deep/file', 'top']) chownSync(join(cache, p), owner.uid, owner.gid);
  return cache;
}

describe('an empty cache', () => {
  test('gets read-only requirements, a created entry, and the task user as owner', async (t) => {
    const dir = tempDir(t, 'created');
    const first = join(dir, 'one');
    const second = join(dir, 'two');
    mkdirSync(first);
    mkdirSync(second);
    const run = await runTask([...asUser(a), '--', 'true'], {
      env: { TASKCLUSTER_CACHES: `${first};${second}`, TASK_ID: 'fLx0aCQ2TTaVvQrNmxcBZg' },
    });
    assert.equal(run.status, 0, run.text);
    for (const cache of [first, second]) {
      assert.deepEqual(readdirSync(cache).sort(), ['.cachelog', '.cacherequires']);
      assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(a));
      assert.equal(statSync(join(cache, '.cacherequires')).mode & 0o777, 0o444);
      const log = auditLines(cache);
      assert.equal(log.length, 1);
      assert.match(log[0], entry('fLx0aCQ2TTaVvQrNmxcBZg', `created; requirements: ${described(a)}`));
      const stats = statSync(cache);
      assert.deepEqual([stats.uid, stats.gid], [a.uid, a.gid]);
      assert.ok(ownLines(run.text, 'cache').includes(`cache ${cache} is empty; writing requirements: gid=${a.gid} uid=${a.uid} version=1`));
    }
  });

  test('with only an audit log keeps its history and is created', async (t) => {
    const cache = join(tempDir(t, 'logonly'), 'cache');
    mkdirSync(cache);
    writeFileSync(join(cache, '.cachelog'), '[2026-01-01T00:00:00.000Z old] requirements mismatch; wanted: gid=1, uid=1, version=1\n');
    const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'T1' } });
    assert.equal(run.status, 0, run.text);
    const log = auditLines(cache);
    assert.equal(log[0], '[2026-01-01T00:00:00.000Z old] requirements mismatch; wanted: gid=1, uid=1, version=1');
    assert.match(log[1], entry('T1', `created; requirements: ${described(a)}`));
    assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(a));
  });

  test('without TASK_ID is recorded as UNKNOWN', async (t) => {
    const cache = join(tempDir(t, 'unknown'), 'cache');
    mkdirSync(cache);
    const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache } });
    assert.equal(run.status, 0, run.text);
    assert.match(auditLines(cache)[0], entry('UNKNOWN', `created; requirements: ${described(a)}`));
  });

  test('records a hostile TASK_ID on exactly one line, control characters escaped', async (t) => {
    const cache = join(tempDir(t, 'taskid'), 'cache');
    mkdirSync(cache);
    const run = await runTask([...asUser(a), '--', 'true'], {
      env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'evil\nid] x\u001b[2J\r' },
    });
    assert.equal(run.status, 0, run.text);
    const text = readFileSync(join(cache, '.cachelog'), 'utf8');
    assert.equal(text.split('\n').length, 2, text);
    assert.match(text, new RegExp(`^\\[${ISO_TIME} evil\\\\nid\\\\x5d\\\\x20x\\\\x1b\\[2J\\\\r\\] created; requirements: ${described(a)}\\n$`));
  });
});

describe('a populated cache', () => {
  test('with our requirements is used, unchanged', async (t) => {
    const cache = populatedCache(tempDir(t, 'used'), a);
    const run = await runTask([...asUser(a), '--', 'sh', '-c', 'echo ran'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'U1' } });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, ['ran']);
    const log = auditLines(cache);
    assert.equal(log.length, 2);
    assert.match(log[1], entry('U1', 'used'));
    assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(a));
    assert.ok(ownLines(run.text, 'cache').includes(`cache ${cache} exists; requirements: gid=${a.gid} uid=${a.uid} version=1`));
  });

  test('of another owner, untrusted, is given to the task user as root', async (t) => {
    const cache = populatedCache(tempDir(t, 'chown'), a);
    chmodSync(join(cache, 'sub'), 0o500);
    const before = lstatSync(join(cache, '.cacherequires')).ino;
    const run = await runTask([...asUser(b), '--', 'sh', '-c', 'echo more > sub/deep/file && id -u'], {
      env: { TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1', TASK_ID: 'C1' },
      cwd: cache,
    });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, [String(b.uid)]);
    for (const p of ['', 'sub', 'sub/deep', 'sub/deep/file', 'top', '.cachelog']) {
      const stats = lstatSync(join(cache, p));
      assert.deepEqual([p, stats.uid, stats.gid], [p, b.uid, b.gid]);
    }
    assert.equal(statSync(join(cache, 'sub')).mode & 0o700, 0o700, 'directories get u+rwx so the new owner can clean them');
    assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(b));
    assert.equal(statSync(join(cache, '.cacherequires')).mode & 0o777, 0o444);
    assert.notEqual(lstatSync(join(cache, '.cacherequires')).ino, before, 'replaced by a new file, not rewritten in place');
    assert.deepEqual(readdirSync(cache).sort(), ['.cachelog', '.cacherequires', 'sub', 'top'], 'no temporary file left');
    const log = auditLines(cache);
    assert.equal(log.length, 2);
    assert.match(log[1], entry('C1', `chown; requirements: ${described(b)}`));
    assert.ok(ownLines(run.text, 'chown').some((l) => l.startsWith(`recursively changing the owner of ${cache} to ${b.name}:${b.group}`)));
  });

  test('of another owner, untrusted, that cannot be re-owned is purged (72), saying what could not be changed', async (t) => {
    const cache = populatedCache(tempDir(t, 'chown-fails'), a);
    const stuck = join(cache, 'sub', 'deep', 'file');
    // Not even root may change the owner of an immutable file.
    execFileSync('chattr', ['+i', stuck]);
    let run;
    try {
      run = await runTask([...asUser(b), '--', 'sh', '-c', 'echo must-not-run'], {
        env: { TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1', TASK_ID: 'F1' },
      });
    } finally {
      // Before the temporary directory is removed, which an immutable file would stop.
      execFileSync('chattr', ['-i', stuck]);
    }
    assert.equal(run.status, 72, run.text);
    assert.deepEqual(run.taskLines, []);
    const error = ownLines(run.text, 'cache').find((l) => l.startsWith(`error: cannot give cache ${cache} to ${b.uid}:${b.gid}: `));
    assert.ok(error, run.text);
    // run-task's own attempt names the file; the image's chown said why first.
    assert.ok(error.includes(`lchown '${stuck}'`) && error.includes('EPERM'), error);
    assert.ok(error.includes(`(before that, /usr/bin/chown exited with 1: /usr/bin/chown: changing ownership of '${stuck}': Operation not permitted)`), error);
    assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(a), 'the requirements still say who owns it');
    assert.match(auditLines(cache).at(-1)!, entry('F1', `requirements mismatch; wanted: ${described(b)}`));
  });

  test('of another owner, trusted, is refused with exit 72, the explanation and the audit log', async (t) => {
    const cache = populatedCache(tempDir(t, 'trusted'), a);
    const run = await runTask([...asUser(b), '--', 'sh', '-c', 'echo must-not-run'], {
      env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'M1' },
    });
    assert.equal(run.status, 72, run.text);
    assert.deepEqual(run.taskLines, []);
    const lines = ownLines(run.text, 'cache');
    assert.ok(lines.includes(`error: requirements of populated cache ${cache} differ from this task's`), run.text);
    assert.ok(lines.includes(`cache requirements: gid=${a.gid} uid=${a.uid} version=1`), run.text);
    assert.ok(lines.includes(`our requirements:   gid=${b.gid} uid=${b.uid} version=1`), run.text);
    assert.ok(lines.some((l) => l.startsWith('The uid or gid differs')), run.text);
    const log = auditLines(cache);
    assert.equal(log.length, 2);
    assert.match(log[1], entry('M1', `requirements mismatch; wanted: ${described(b)}`));
    // The whole history is printed, the new entry included.
    assert.ok(lines.includes(`audit log ${cache}/.cachelog:`), run.text);
    assert.ok(lines.includes(`  ${log[0]}`) && lines.includes(`  ${log[1]}`), run.text);
    // Nothing was re-owned.
    assert.equal(lstatSync(join(cache, 'top')).uid, a.uid);
    assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(a));
  });

  test('with other requirements is refused with exit 72, without the uid/gid explanation', async (t) => {
    const cache = populatedCache(tempDir(t, 'version'), a);
    chmodSync(join(cache, '.cacherequires'), 0o644);
    writeFileSync(join(cache, '.cacherequires'), `gid=${a.gid}\nuid=${a.uid}\nversion=2`);
    const run = await runTask([...asUser(a), '--', 'true'], {
      env: { TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1', TASK_ID: 'V2' },
    });
    assert.equal(run.status, 72, run.text);
    const lines = ownLines(run.text, 'cache');
    assert.ok(lines.includes(`cache requirements: gid=${a.gid} uid=${a.uid} version=2`), run.text);
    assert.ok(!lines.some((l) => l.startsWith('The uid or gid differs')), run.text);
    assert.match(auditLines(cache)[1], entry('V2', `requirements mismatch; wanted: ${described(a)}`));
  });

  test('without .cacherequires is refused with exit 72 and the likely cause', async (t) => {
    const cache = join(tempDir(t, 'missing'), 'cache');
    mkdirSync(cache);
    writeFileSync(join(cache, 'leftover'), 'x');
    writeFileSync(join(cache, '.cachelog'), '[2026-01-01T00:00:00.000Z first] created; requirements: gid=1, uid=1, version=1\n');
    const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'X1' } });
    assert.equal(run.status, 72, run.text);
    const lines = ownLines(run.text, 'cache');
    assert.ok(lines.includes(`error: cache ${cache} is not empty but has no .cacherequires.`), run.text);
    assert.ok(lines.some((l) => l.includes('something other than run-task filled it')), run.text);
    const log = auditLines(cache);
    assert.match(log[1], entry('X1', 'missing .cacherequires'));
    assert.ok(lines.includes(`  ${log[0]}`) && lines.includes(`  ${log[1]}`), run.text);
    assert.deepEqual(readdirSync(cache).sort(), ['.cachelog', 'leftover']);
  });
});

describe('a cache path that is not a directory', () => {
  test('is an error with exit 1', async (t) => {
    const dir = tempDir(t, 'notdir');
    writeFileSync(join(dir, 'file'), '');
    for (const path of [join(dir, 'file'), join(dir, 'absent')]) {
      const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: path } });
      assert.equal(run.status, 1, run.text);
      assert.ok(ownLines(run.text, 'cache').some((l) => l.startsWith(`error: cache ${path} is not a directory`)), run.text);
    }
  });
});

describe('the audit log', () => {
  test('that cannot be written is reported and the validation still decides', async (t) => {
    const cache = populatedCache(tempDir(t, 'logdir'), a);
    rmSync(join(cache, '.cachelog'));
    mkdirSync(join(cache, '.cachelog'));
    const run = await runTask([...asUser(a), '--', 'sh', '-c', 'echo ran'], { env: { TASKCLUSTER_CACHES: cache } });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, ['ran']);
    assert.ok(
      ownLines(run.text, 'cache').some((l) => l.startsWith(`warning: cannot append to audit log ${cache}/.cachelog: it is a directory`)),
      run.text,
    );
    assert.deepEqual(readdirSync(join(cache, '.cachelog')), []);
  });

  test('is printed from its last MiB when it is long', async (t) => {
    const cache = populatedCache(tempDir(t, 'longlog'), a);
    const old = Array.from({ length: 60000 }, (_, i) => `[2026-01-01T00:00:00.000Z old] used ${i} ${'x'.repeat(40)}\n`).join('');
    writeFileSync(join(cache, '.cachelog'), old);
    const run = await runTask([...asUser(b), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'L1' } });
    assert.equal(run.status, 72, run.text);
    const lines = ownLines(run.text, 'cache');
    const header = lines.find((l) => l.startsWith(`audit log ${cache}/.cachelog (`));
    assert.ok(header && /its first \d+ bytes are left out/.test(header), run.text.slice(0, 2000));
    const printed = lines.filter((l) => l.startsWith('  ['));
    const printedBytes = printed.reduce((n, l) => n + l.length - 1, 0);
    assert.ok(printedBytes <= 1024 * 1024 && printedBytes > 1000 * 1024, `printed ${printedBytes} bytes`);
    assert.match(printed.at(-1)!.slice(2), entry('L1', `requirements mismatch; wanted: ${described(b)}`));
  });
});
