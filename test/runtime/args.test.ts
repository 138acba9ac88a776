// The command line and the user checks, as a task author meets them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ownLines, removeGroup, runTask, testUser } from './helpers.js';

const a = testUser('rtaa');

const exists = (db: string, name: string) => {
  try {
    execFileSync('getent', [db, name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

test('an unknown option is named, with the supported ones', async () => {
  const run = await runTask(['--vcs-frobnicate', 'x', '--', 'true']);
  assert.equal(run.status, 1, run.text);
  const lines = ownLines(run.text, 'setup');
  assert.ok(
    lines.includes(
      'error: unknown option "--vcs-frobnicate"; run-task supports --user NAME, --group NAME, --task-cwd DIR, ' +
        '--<prefix>-checkout PATH, --<prefix>-sparse-profile PROFILE, --<prefix>-shallow-clone',
    ),
    run.text,
  );
  assert.ok(lines.some((l) => l.startsWith('usage: run-task ')), run.text);
});

test('the command must follow --', async () => {
  const noSeparator = await runTask(['true']);
  assert.equal(noSeparator.status, 1);
  assert.ok(ownLines(noSeparator.text, 'setup').some((l) => l.startsWith('error: missing `--` before the command')), noSeparator.text);
  const noCommand = await runTask(['--user', a.name, '--']);
  assert.equal(noCommand.status, 1);
  assert.ok(ownLines(noCommand.text, 'setup').some((l) => l.startsWith('error: no command after `--`')), noCommand.text);
  const noValue = await runTask(['--user', '--', 'true']);
  assert.equal(noValue.status, 1);
  assert.ok(ownLines(noValue.text, 'setup').includes('error: option --user needs a value'), noValue.text);
});

// Checkouts themselves are tested in test/runtime/checkout/.
test('checkout options are parsed in both forms and reach the checkout', async () => {
  const cases = [
    { args: ['--vcs-checkout', '/builds/checkout'], error: 'error: --vcs-checkout /builds/checkout needs VCS_HEAD_REPOSITORY' },
    { args: ['--gecko-checkout=/builds/checkout'], error: 'error: --gecko-checkout names the repository prefix "gecko", which REPOSITORIES does not define' },
  ];
  for (const { args, error } of cases) {
    const run = await runTask([...args, '--user', a.name, '--group', a.group, '--', 'sh', '-c', 'echo must-not-run']);
    assert.equal(run.status, 1, run.text);
    assert.deepEqual(run.taskLines, []);
    assert.ok(ownLines(run.text, 'vcs').some((l) => l.startsWith(error)), run.text);
  }
});

test('unknown users and groups are clear errors', async () => {
  const user = await runTask(['--user', 'no-such-user-rt', '--group', a.group, '--', 'true']);
  assert.equal(user.status, 1);
  assert.ok(ownLines(user.text, 'setup').some((l) => l.startsWith('error: user "no-such-user-rt" is not defined in /etc/passwd')), user.text);
  const group = await runTask(['--user', a.name, '--group', 'no-such-group-rt', '--', 'true']);
  assert.equal(group.status, 1);
  assert.ok(ownLines(group.text, 'setup').some((l) => l.startsWith('error: group "no-such-group-rt" is not defined in /etc/group')), group.text);
});

test('a user or group named worker must have id 1000', async (t) => {
  // uid and gid 1000 are taken on the test machines, so a fresh `worker` gets another id.
  assert.ok(!exists('passwd', 'worker') && !exists('group', 'worker'), 'this test needs a machine without a worker user or group');
  execFileSync('groupadd', ['worker']);
  t.after(() => removeGroup('worker'));
  execFileSync('useradd', ['-M', '-N', '-g', 'worker', 'worker']);
  t.after(() => execFileSync('userdel', ['worker']));
  const uid = Number(execFileSync('id', ['-u', 'worker'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'worker'], { encoding: 'utf8' }));
  assert.notEqual(uid, 1000);
  assert.notEqual(gid, 1000);

  const user = await runTask(['--', 'true']);
  assert.equal(user.status, 1, user.text);
  assert.ok(ownLines(user.text, 'setup').some((l) => l.startsWith(`error: user worker must have uid 1000, but /etc/passwd gives it uid ${uid}`)), user.text);
  const group = await runTask(['--user', a.name, '--', 'true']);
  assert.equal(group.status, 1, group.text);
  assert.ok(ownLines(group.text, 'setup').some((l) => l.startsWith(`error: group worker must have gid 1000, but /etc/group gives it gid ${gid}`)), group.text);
});
