// The cache faults of issue 14: two tasks starting together on one empty cache,
// audit entries glued to a torn or unterminated line, and a printed audit log
// that carried escape sequences from a hostile cache into the task log.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { asUser, ISO_TIME, ownLines, requirementsOf, runTask, tempDir, testUser } from './helpers.js';

const a = testUser('rtfa');
const b = testUser('rtfb');

describe('two tasks on one empty cache at the same moment', () => {
  test('both succeed, every round, and the cache is created once or used', async (t) => {
    const dir = tempDir(t, 'race');
    const rounds = 40;
    for (let round = 0; round < rounds; round++) {
      const cache = join(dir, `cache-${round}`);
      mkdirSync(cache);
      const env = { TASKCLUSTER_CACHES: cache };
      const runs = await Promise.all([
        runTask([...asUser(a), '--', 'true'], { env: { ...env, TASK_ID: 'first' } }),
        runTask([...asUser(a), '--', 'true'], { env: { ...env, TASK_ID: 'second' } }),
      ]);
      for (const run of runs) assert.equal(run.status, 0, `round ${round}:\n${run.text}`);
      assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), requirementsOf(a));
      assert.deepEqual(readdirSync(cache).sort(), ['.cachelog', '.cacherequires'], `round ${round}: no temporary file left`);
      const log = readFileSync(join(cache, '.cachelog'), 'utf8').split('\n').slice(0, -1);
      assert.equal(log.length, 2, `round ${round}: ${log.join('\n')}`);
      for (const line of log) assert.match(line, new RegExp(`^\\[${ISO_TIME} (first|second)\\] (created; requirements: |used$)`));
    }
  });
});

describe('every audit entry starts on a line of its own', () => {
  for (const [what, before] of [
    ['after a .cachelog whose last entry has no newline', '[2026-01-01T00:00:00.000Z old] created; requirements: gid=1, uid=1, version=1'],
    ['after a torn entry (a write cut short by a full disk)', '[2026-01-01T00:00:00.000Z old] used\n[2026-01-01T00:00:01.000Z torn] chown; requi'],
  ] as const) {
    test(what, async (t) => {
      const cache = join(tempDir(t, 'newline'), 'cache');
      mkdirSync(cache);
      writeFileSync(join(cache, '.cachelog'), before);
      const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'N1' } });
      assert.equal(run.status, 0, run.text);
      const text = readFileSync(join(cache, '.cachelog'), 'utf8');
      assert.ok(text.startsWith(`${before}\n`), text);
      const rest = text.slice(before.length + 1);
      assert.match(rest, new RegExp(`^\\[${ISO_TIME} N1\\] created; requirements: gid=${a.gid}, uid=${a.uid}, version=1\\n$`));
    });
  }
});

describe('the printed audit log', () => {
  test('shows control characters from the cache escaped, one printed line per entry', async (t) => {
    const cache = join(tempDir(t, 'printed'), 'cache');
    mkdirSync(cache);
    writeFileSync(join(cache, '.cacherequires'), requirementsOf(b), { mode: 0o444 });
    writeFileSync(join(cache, 'content'), 'data');
    const hostile =
      '[2026-01-01T00:00:00.000Z evil] \u001b[2J\u001b]0;title\u0007 red \u001b[31mtext\r[task 2026-01-01T00:00:00.000Z] fake\u0000\u009b\n';
    writeFileSync(join(cache, '.cachelog'), hostile);
    const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'P1' } });
    assert.equal(run.status, 72, run.text);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(run.text, /[\u0000-\u0009\u000b-\u001f\u007f\u0080-\u009f]/, 'no control character but newlines reaches the log');
    const printed = ownLines(run.text, 'cache');
    assert.ok(
      printed.includes(
        '  [2026-01-01T00:00:00.000Z evil] \\x1b[2J\\x1b]0;title\\x07 red \\x1b[31mtext\\x0d[task 2026-01-01T00:00:00.000Z] fake\\x00\\x9b',
      ),
      run.text,
    );
    assert.ok(printed.some((l) => new RegExp(`^  \\[${ISO_TIME} P1\\] requirements mismatch; wanted: `).test(l)), run.text);
  });

  test('shows bytes that are not UTF-8 escaped, not as replacement characters', async (t) => {
    const cache = join(tempDir(t, 'printed-bytes'), 'cache');
    mkdirSync(cache);
    writeFileSync(join(cache, 'content'), 'data');
    writeFileSync(join(cache, '.cachelog'), Buffer.concat([Buffer.from('[2026-01-01T00:00:00.000Z evil] caf'), Buffer.from([0xe9, 0xff]), Buffer.from(' \u00e9t\u00e9\n')]));
    const run = await runTask([...asUser(a), '--', 'true'], { env: { TASKCLUSTER_CACHES: cache, TASK_ID: 'P2' } });
    assert.equal(run.status, 72, run.text);
    assert.ok(ownLines(run.text, 'cache').includes('  [2026-01-01T00:00:00.000Z evil] caf\\xe9\\xff été'), run.text);
  });
});
