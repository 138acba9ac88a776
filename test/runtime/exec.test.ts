// The task's command: environment, user, working directory, output bytes,
// exit statuses and signals, through the built bundle.
import assert from 'node:assert/strict';
import { chownSync, copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import { asUser, ownLines, runTask, runTaskBundle, TASK_PREFIX, tempDir, testUser, testGroup } from './helpers.js';

const extra = testGroup('rtxg');
const a = testUser('rtxa', [extra.name]);


/** The task's output bytes with the prefixes removed (latin1 keeps every byte). */
function taskBytes(output: Buffer): Buffer {
  const lines = output.toString('latin1').split('\n');
  const task = lines.filter((l) => TASK_PREFIX.test(l)).map((l) => l.replace(TASK_PREFIX, '') + '\n');
  return Buffer.from(task.join(''), 'latin1');
}

describe('environment', () => {
  test('the protocol variables are removed and TASK_WORKDIR is set', async (t) => {
    const dir = tempDir(t, 'env');
    const cache = join(dir, 'cache');
    const volume = join(dir, 'volume');
    mkdirSync(cache);
    mkdirSync(volume);
    const run = await runTask([...asUser(a), '--', 'env'], {
      cwd: dir,
      env: {
        TASKCLUSTER_CACHES: cache,
        TASKCLUSTER_VOLUMES: volume,
        TASKCLUSTER_UNTRUSTED_CACHES: '1',
        MOZ_KEPT: 'kept value',
      },
    });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines.filter((l) => l.startsWith('TASKCLUSTER_')), []);
    assert.ok(run.taskLines.includes('MOZ_KEPT=kept value'), run.text);
    assert.ok(run.taskLines.includes(`TASK_WORKDIR=${dir}`), run.text);
  });
});

describe('user', () => {
  test('as root, the command runs as the user with its groups and umask 022', async () => {
    const run = await runTask([...asUser(a), '--', 'sh', '-c', 'id -u; id -g; id -G; umask'], {});
    assert.equal(run.status, 0, run.text);
    const [uid, gid, groups, umask] = run.taskLines;
    assert.equal(uid, String(a.uid));
    assert.equal(gid, String(a.gid));
    assert.deepEqual(groups.split(' ').map(Number).sort(), [a.gid, extra.gid].sort());
    assert.equal(umask, '0022');
    assert.ok(ownLines(run.text, 'setup').includes(`running as ${a.name}:${a.group} (${a.uid}:${a.gid})`), run.text);
  });

  test('not as root, nothing is switched and caches record the current ids', async (t) => {
    const cache = join(tempDir(t, 'nonroot'), 'cache');
    mkdirSync(cache);
    chownSync(cache, a.uid, a.gid);
    const run = await runTask(['--', 'sh', '-c', 'id -u'], { uid: a.uid, gid: a.gid, env: { TASKCLUSTER_CACHES: cache } });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, [String(a.uid)]);
    assert.equal(readFileSync(join(cache, '.cacherequires'), 'utf8'), `gid=${a.gid}\nuid=${a.uid}\nversion=1`);
    assert.ok(ownLines(run.text, 'setup').some((l) => l.startsWith('not running as root')), run.text);
  });

  test('--task-cwd sets the working directory, in both option forms', async (t) => {
    const dir = tempDir(t, 'cwd');
    for (const args of [['--task-cwd', dir], [`--task-cwd=${dir}`]]) {
      const run = await runTask([...asUser(a), ...args, '--', 'pwd'], {});
      assert.equal(run.status, 0, run.text);
      assert.deepEqual(run.taskLines, [dir]);
    }
    const missing = await runTask([...asUser(a), '--task-cwd', join(dir, 'absent'), '--', 'pwd'], {});
    assert.equal(missing.status, 1, missing.text);
    assert.ok(ownLines(missing.text, 'setup').some((l) => l.startsWith(`error: --task-cwd ${join(dir, 'absent')} cannot be`)), missing.text);
  });
});

describe('output', () => {
  test('stdout and stderr are merged in order, every line prefixed', async () => {
    const run = await runTask([...asUser(a), '--', 'sh', '-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2'], {});
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, ['out1', 'err1', 'out2', 'err2']);
    for (const line of run.text.split('\n').slice(0, -1)) assert.match(line, /^\[(task|setup|cache|volume|chown) [^\]]+\] /);
  });

  test('bytes pass unchanged: non-UTF-8, a 1 MiB line, a last line without newline', async () => {
    const script = "printf '\\377\\376 latin \\351\\n'; head -c 1048576 /dev/zero | tr '\\0' a; echo; printf 'no newline'";
    const run = await runTask([...asUser(a), '--', 'sh', '-c', script], {});
    assert.equal(run.status, 0, run.text.slice(0, 500));
    const expected = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' latin '),
      Buffer.from([0xe9, 0x0a]),
      Buffer.alloc(1024 * 1024, 'a'),
      Buffer.from('\nno newline\n'),
    ]);
    assert.ok(taskBytes(run.output).equals(expected), 'task bytes differ');
    assert.ok(run.output.subarray(-1).equals(Buffer.from('\n')));
  });
});

describe('standard output closed by its reader', () => {
  test('the command goes on to the end and its status is run-task\'s; one line on stderr, no stack trace', async (t) => {
    const dir = tempDir(t, 'epipe');
    const done = join(dir, 'done');
    // Far more output than a pipe holds, then a mark that the command finished.
    const script = `i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done; touch ${done}; exit 3`;
    const child = spawn(process.execPath, [runTaskBundle, '--user', 'root', '--group', 'root', '--', 'sh', '-c', script], {
      cwd: dir,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first chunk, then go away, as `| head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(status, 3, stderr);
    assert.ok(statSync(done).isFile(), 'the command ran to its end');
    assert.match(stderr, /^run-task: the reader of standard output is gone \(broken pipe\); the command goes on/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});

describe('exit status', () => {
  test('is the command status', async () => {
    const run = await runTask([...asUser(a), '--', 'sh', '-c', 'exit 7'], {});
    assert.equal(run.status, 7, run.text);
  });

  test('is 128+N when signal N kills the command', async () => {
    assert.equal((await runTask([...asUser(a), '--', 'sh', '-c', 'kill -KILL $$'], {})).status, 137);
    assert.equal((await runTask([...asUser(a), '--', 'sh', '-c', 'kill -SEGV $$'], {})).status, 139);
  });

  test('is 1 with a clear error when the command cannot be started', async (t) => {
    const missing = await runTask([...asUser(a), '--', 'no-such-command-rt', 'arg'], {});
    assert.equal(missing.status, 1, missing.text);
    assert.ok(ownLines(missing.text, 'setup').some((l) => l.startsWith('error: cannot run command "no-such-command-rt": not found in PATH')), missing.text);

    const script = join(tempDir(t, 'noexec'), 'script.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const denied = await runTask([...asUser(a), '--', script], {});
    assert.equal(denied.status, 1, denied.text);
    assert.ok(ownLines(denied.text, 'setup').some((l) => l.startsWith(`error: cannot run command ${JSON.stringify(script)}: ${script} is not executable by this user`)), denied.text);
  });
});

describe('signals', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} is forwarded to the command`, async () => {
      const name = signal.slice(3);
      // Bounded, so that a failing run leaves no process behind for long.
      const script = `trap 'echo got ${name}; exit 3' ${name}; echo ready; i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done`;
      const run = await runTask([...asUser(a), '--', 'sh', '-c', script], {
        onSpawn: (child, output) => {
          const poll = setInterval(() => {
            if (/\] ready\n/.test(output())) {
              clearInterval(poll);
              child.kill(signal);
            }
          }, 20);
        },
      });
      assert.equal(run.status, 3, run.text);
      // The signal reaches the whole group: sh may also report its `sleep` as killed.
      assert.deepEqual(run.taskLines.filter((l) => l !== 'Terminated'), ['ready', `got ${name}`]);
    });
  }

  test('a command that does not handle SIGTERM ends with 143', async () => {
    const run = await runTask([...asUser(a), '--', 'sh', '-c', 'echo ready; exec sleep 10'], {
      onSpawn: (child, output) => {
        const poll = setInterval(() => {
          if (/\] ready\n/.test(output())) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGTERM'), 100);
          }
        }, 20);
      },
    });
    assert.equal(run.status, 143, run.text);
  });
});

describe('the bundle', () => {
  test('copied alone into an empty directory runs with node and nothing else', async (t) => {
    const dir = tempDir(t, 'alone');
    const copy = join(dir, 'run-task');
    copyFileSync(runTaskBundle, copy);
    assert.deepEqual(readdirSync(dir), ['run-task']);
    assert.ok(readFileSync(copy, 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.equal(statSync(runTaskBundle).mode & 0o111, 0o111);
    execFileSync('chmod', ['0755', copy]);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(copy, ['--user', 'root', '--group', 'root', '--', 'echo', 'alone'], {
        cwd: dir,
        env: { PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (c) => (text += c));
      child.on('error', reject);
      child.on('close', (status) => (status === 0 ? resolve(text) : reject(new Error(`status ${status}: ${text}`))));
    });
    assert.match(output, /^\[task [^\]]+\] alone$/m);
  });
});
