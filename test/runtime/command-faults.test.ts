// The faults of issue 14 around the command: the output channel under any
// TMPDIR, signals that must reach the command's whole process group, a
// background process holding the output, and run-task as PID 1 with orphans.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ownLines, runTask, runTaskBundle, tempDir, type RunResult } from './helpers.js';

const asRoot = ['--user', 'root', '--group', 'root'];

/** Sends `signal` once the task printed `ready`; returns when run-task took after the signal. */
function signalWhenReady(signal: NodeJS.Signals, marker = 'ready') {
  const sent = { at: 0 };
  return {
    sent,
    onSpawn: (child: ReturnType<typeof spawn>, output: () => string) => {
      const poll = setInterval(() => {
        if (new RegExp(`\\] ${marker}\\n`).test(output())) {
          clearInterval(poll);
          sent.at = Date.now();
          child.kill(signal);
        }
      }, 10);
      child.once('close', () => clearInterval(poll));
    },
  };
}

describe('the output channel', () => {
  test('works with a TMPDIR far longer than a socket path may be, and leaves nothing in it', async (t) => {
    let tmp = tempDir(t, 'longtmp');
    while (tmp.length < 300) tmp = join(tmp, 'a-rather-long-directory-name');
    mkdirSync(tmp, { recursive: true });
    for (let round = 0; round < 3; round++) {
      const run = await runTask([...asRoot, '--', 'sh', '-c', 'echo out; echo err >&2'], { env: { TMPDIR: tmp } });
      assert.equal(run.status, 0, run.text);
      assert.deepEqual(run.taskLines, ['out', 'err']);
    }
    assert.deepEqual(readdirSync(tmp), []);
  });

  test('needs no temporary directory at all', async () => {
    const run = await runTask([...asRoot, '--', 'echo', 'fine'], { env: { TMPDIR: '/nonexistent/run-task-tmp' } });
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, ['fine']);
  });

  test('run-task killed with SIGKILL at any moment of its start-up leaves nothing in TMPDIR', async (t) => {
    const tmp = tempDir(t, 'killtmp');
    // Killed the moment anything appears in TMPDIR (the window an earlier run-task left a
    // directory in), else at one of these points of its start-up. That window was too short to
    // hit reliably: what proves the point is that nothing appears there at all.
    const appeared: string[] = [];
    for (const delay of [5, 15, 25, 35, 45, 55, 65, 80, 100]) {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [runTaskBundle, ...asRoot, '--', 'true'], {
          env: { PATH: process.env.PATH, TMPDIR: tmp },
          stdio: 'ignore',
        });
        const watcher = watch(tmp, (_event, name) => {
          appeared.push(String(name));
          child.kill('SIGKILL');
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.once('close', () => {
          watcher.close();
          clearTimeout(timer);
          resolve();
        });
      });
    }
    assert.deepEqual(readdirSync(tmp), []);
    assert.deepEqual(appeared, []);
  });
});

describe('signals reach the whole process group', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    test(`${signal} stops a command behind a shell wrapper at once: 128+N`, async () => {
      const stop = signalWhenReady(signal);
      // The outer sh waits for its child, which run-task alone would never signal. The child
      // says ready only once it is the sleep (exec): a signal that reaches a shell's child
      // between fork and exec is caught by the shell's handler there, and lost at the exec.
      const script = `sh -c 'echo ready; exec sleep 20'; echo not reached`;
      const run = await runTask([...asRoot, '--', 'sh', '-c', script], { onSpawn: stop.onSpawn });
      const took = Date.now() - stop.sent.at;
      const expected = 128 + { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 }[signal];
      assert.equal(run.status, expected, run.text);
      assert.ok(took < 3000, `run-task took ${took} ms after ${signal}`);
      assert.ok(!run.taskLines.includes('not reached'), run.text);
    });
  }

  test('a process in the background of the command gets the signal too', async (t) => {
    const dir = tempDir(t, 'bgsig');
    const stop = signalWhenReady('SIGTERM');
    const background = join(dir, 'background.sh');
    writeFileSync(background, `trap 'echo background got TERM; exit 0' TERM; echo ready; i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\n`);
    const run = await runTask([...asRoot, '--', 'sh', '-c', `sh ${background} & wait`], { cwd: dir, onSpawn: stop.onSpawn });
    assert.ok(run.taskLines.includes('background got TERM'), run.text);
    assert.ok(Date.now() - stop.sent.at < 3000);
  });
});

describe('run-task leading its own process group, as a worker starts it', () => {
  /** Whether `pid` still runs (a zombie has ended). */
  const running = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  };

  test('a signal to run-task alone reaches the command behind a shell wrapper, once', async () => {
    const stop = signalWhenReady('SIGTERM');
    const script = `trap 'echo wrapper got TERM' TERM; sh -c 'echo ready; exec sleep 20'; echo wrapper done`;
    const run = await runTask([...asRoot, '--', 'sh', '-c', script], { detached: true, onSpawn: stop.onSpawn });
    assert.equal(run.status, 0, run.text);
    // dash reports its child killed by the signal as `Terminated`.
    assert.deepEqual(run.taskLines.filter((l) => l !== 'Terminated'), ['ready', 'wrapper got TERM', 'wrapper done']);
    assert.ok(Date.now() - stop.sent.at < 3000);
  });

  test('a worker killing the group (generic-worker aborts with kill(-pid, SIGKILL)) kills the command too', async (t) => {
    const pids = join(tempDir(t, 'groupkill'), 'pids');
    const script = `echo $$ > ${pids}; sleep 20 & echo $! >> ${pids}; echo ready; wait`;
    const run = await runTask([...asRoot, '--', 'sh', '-c', script], {
      detached: true,
      onSpawn: (child, output) => {
        const poll = setInterval(() => {
          if (/\] ready\n/.test(output())) {
            clearInterval(poll);
            process.kill(-child.pid!, 'SIGKILL');
          }
        }, 10);
        child.once('close', () => clearInterval(poll));
      },
    });
    assert.equal(run.signal, 'SIGKILL');
    const left = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    assert.equal(left.length, 2);
    // The kernel delivers SIGKILL at once; give the processes a moment to be gone.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(left.filter(running), [], 'processes of the command still running');
  });
});

describe('a background process that keeps the output open', () => {
  test('does not keep run-task once the command has exited; what the command wrote is printed', async () => {
    const started = Date.now();
    const run = await runTask([...asRoot, '--', 'sh', '-c', 'sleep 5 & echo last words; exit 4'], {});
    const took = Date.now() - started;
    assert.equal(run.status, 4, run.text);
    assert.deepEqual(run.taskLines, ['last words']);
    assert.ok(took < 5000, `run-task took ${took} ms`);
  });

  test('the whole output of a command that exits at once after writing much is printed', async () => {
    const run = await runTask([...asRoot, '--', 'sh', '-c', 'sleep 5 & seq 200000'], {});
    assert.equal(run.status, 0, run.text.slice(-500));
    assert.equal(run.taskLines.length, 200000);
    assert.equal(run.taskLines.at(-1), '200000');
  });
});

describe('as PID 1 (unshare --pid --fork)', () => {
  /**
   * run-task as the first process of a new PID namespace, /proc its own, and
   * leading its session and process group (setsid), as a container's first process does.
   */
  function asPid1(command: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', 'setsid', process.execPath, runTaskBundle, ...asRoot, '--', ...command], {
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (status, signal) => {
        const output = Buffer.concat(chunks);
        const text = output.toString();
        const taskLines = text.split('\n').filter((l) => /^\[task /.test(l)).map((l) => l.replace(/^\[task [^\]]+\] /, ''));
        resolve({ status, signal, output, text, taskLines });
      });
    });
  }

  // 300 processes that outlive their parent, then the zombies counted in /proc.
  const orphans =
    'i=0; while [ $i -lt 300 ]; do (true &); i=$((i+1)); done; sleep 1; ' +
    "echo zombies: $(cat /proc/[0-9]*/stat 2>/dev/null | awk '$3 == \"Z\"' | wc -l); exit 5";

  test('orphans are collected, the command keeps its status and the signals', async () => {
    const run = await asPid1(['sh', '-c', orphans]);
    assert.equal(run.status, 5, run.text);
    assert.deepEqual(run.taskLines, ['zombies: 0']);

    const missing = await asPid1(['no-such-command-rt']);
    assert.equal(missing.status, 1, missing.text);
    assert.ok(ownLines(missing.text, 'setup').some((l) => l.startsWith('error: cannot run command "no-such-command-rt": not found in PATH')), missing.text);
  });

  test('a command found but that cannot be executed is reported by the helper, status 127', async (t) => {
    const script = join(tempDir(t, 'badinterp'), 'script.sh');
    writeFileSync(script, '#!/nonexistent/interpreter\necho hi\n', { mode: 0o755 });
    const run = await asPid1([script]);
    assert.equal(run.status, 127, run.text);
    assert.deepEqual(run.taskLines, [`run-task: cannot run command ${JSON.stringify(script)}: No such file or directory`]);
  });

  test('a signal to run-task as PID 1 reaches the command', async () => {
    const stop = signalWhenReady('SIGTERM');
    const script = `sh -c 'echo ready; exec sleep 20'; echo not reached`;
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', 'setsid', process.execPath, runTaskBundle, ...asRoot, '--', 'sh', '-c', script], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    // unshare --fork does not pass signals on: signal run-task itself, the child of unshare.
    const poll = setInterval(() => {
      if (/\] ready\n/.test(text)) {
        clearInterval(poll);
        stop.sent.at = Date.now();
        spawn('pkill', ['-TERM', '-P', String(child.pid)]);
      }
    }, 10);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearInterval(poll);
    assert.equal(status, 143, text);
    assert.ok(Date.now() - stop.sent.at < 3000);
  });

  test('without perl, run-task says how to collect orphans', async (t) => {
    // A PATH without perl does not hide /usr/bin/perl, which run-task takes from there only; a
    // namespace where it is missing needs a mount namespace: bind an empty file over it.
    const dir = tempDir(t, 'noperl');
    const run = await new Promise<RunResult>((resolve, reject) => {
      const script = `mount --bind /dev/null /usr/bin/perl && exec "$@"`;
      const child = spawn('unshare', ['--mount', '--pid', '--fork', '--mount-proc', 'sh', '-c', script, 'sh', process.execPath, runTaskBundle, ...asRoot, '--', 'sh', '-c', orphans], {
        cwd: dir,
        env: { PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (status, signal) => {
        const output = Buffer.concat(chunks);
        const text = output.toString();
        resolve({ status, signal, output, text, taskLines: [] });
      });
    });
    // sh execs node: run-task is still PID 1.
    assert.equal(run.status, 5, run.text);
    assert.ok(
      ownLines(run.text, 'setup').some((l) => l.startsWith('warning: run-task is PID 1 and cannot collect the processes that outlive their parents') && l.includes('tini')),
      run.text,
    );
  });
});
