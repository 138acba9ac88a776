// Runs the task's command with its output prefixed line by line, and reports
// how it ended in the way a shell would: its exit status, or 128+N when signal
// N killed it.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { constants as os } from 'node:os';
import { join } from 'node:path';
import { RunTaskExit } from '../failure.js';
import { logLine } from '../log.js';
import { writeOut } from '../stdout.js';
import { LinePrefixer } from './line-prefixer.js';
import type { OutputChannel } from './output-channel.js';
import { reaperFor } from './subreaper.js';

/** Signals a worker (or a terminal) sends to stop the task: the command's whole process group gets them too. */
const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * After the command exits, its last output is read once no chunk has arrived
 * for this long: what it wrote is already in the channel and takes one turn
 * of the event loop to read, even on a busy machine.
 */
const DRAIN_QUIET_MS = 50;
/** A background process that goes on writing does not keep run-task beyond this. */
const DRAIN_LIMIT_MS = 1000;

/** When the command's output last arrived (a counter: cheaper than the time on the hot path). */
const channelActivity = { last: 0 };

export function prefixedOutput(): { prefixer: LinePrefixer; onChunk: (bytes: Uint8Array) => void } {
  const prefixer = new LinePrefixer();
  return {
    prefixer,
    onChunk: (bytes) => {
      channelActivity.last++;
      writeOut(prefixer.push(bytes));
    },
  };
}

export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? os.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

function cannotStart(command: readonly string[], error: NodeJS.ErrnoException): RunTaskExit {
  return new RunTaskExit(1, 'setup', [`error: cannot run command ${JSON.stringify(command[0])}: ${whyNotStarted(command[0], error)}`]);
}

/**
 * execvp reports EACCES when any PATH directory is closed to the task's user,
 * even if the command exists nowhere: look for ourselves to say what is wrong.
 */
function whyNotStarted(program: string, error: NodeJS.ErrnoException): string {
  if (error.code !== 'ENOENT' && error.code !== 'EACCES') return error.message;
  const candidates = program.includes('/')
    ? [program]
    : (process.env.PATH ?? '').split(':').map((dir) => join(dir || '.', program));
  for (const candidate of candidates) {
    let stats;
    try {
      stats = statSync(candidate);
    } catch {
      continue;
    }
    if (stats.isDirectory()) return `${candidate} is a directory`;
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      return `${candidate} is not executable by this user (uid ${process.getuid!()})`;
    }
    return `${candidate} could not be executed (${error.code}; is its interpreter missing?)`;
  }
  if (program.includes('/')) return 'no such file';
  const path = process.env.PATH;
  return path ? `not found in PATH (${path})` : 'not found: PATH is not set';
}

/** Whether execvp would find something to run, so that a missing command is reported as before when a helper runs it. */
function findsExecutable(program: string): boolean {
  const candidates = program.includes('/') ? [program] : (process.env.PATH ?? '').split(':').map((dir) => join(dir || '.', program));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

/** What to start: the command itself, or, as PID 1, the command under a helper that collects orphans. */
function startingPoint(command: readonly string[]): { file: string; args: readonly string[] } {
  if (process.pid !== 1) return { file: command[0], args: command.slice(1) };
  const reaper = reaperFor(command);
  if ('missing' in reaper) {
    logLine(
      'setup',
      `warning: run-task is PID 1 and cannot collect the processes that outlive their parents (they stay zombies until the task ends): ${reaper.missing}; ` +
        'to collect them, start run-task under an init (tini, or docker run --init), see docs/run-task.md',
    );
    return { file: command[0], args: command.slice(1) };
  }
  if (!findsExecutable(command[0])) throw cannotStart(command, Object.assign(new Error('not found'), { code: 'ENOENT' }));
  return reaper;
}

/**
 * Whether run-task leads its process group (PID 1 of a container, or started
 * by a worker in a group of its own: generic-worker aborts a task with
 * kill(-pid, SIGKILL)). The command then stays in that group, so that such a
 * kill reaches it too, and run-task forwards signals to its own group.
 * Otherwise the group is its parent's (a script, a test), which a forwarded
 * signal must not reach: the command gets a session and group of its own.
 */
function leadsOwnGroup(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const pgrp = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
    return Number(pgrp) === process.pid;
  } catch {
    return false;
  }
}

export function runCommand(
  command: readonly string[],
  cwd: string | undefined,
  channel: OutputChannel,
  prefixer: LinePrefixer,
): Promise<number> {
  const { file, args } = startingPoint(command);
  const sharedGroup = leadsOwnGroup();
  return new Promise<number>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd,
        env: process.env,
        stdio: ['inherit', channel.commandEnd, channel.commandEnd],
        // Forwarded signals go to a whole process group, so that they reach
        // everything the command started (a shell's children), as a terminal's
        // Ctrl-C does: ours when we lead it, else a new one.
        detached: !sharedGroup,
      });
    } catch (error) {
      channel.commandEnd.destroy();
      reject(cannotStart(command, error as NodeJS.ErrnoException));
      return;
    }
    // The command holds its own copy; ours would keep the channel open forever.
    channel.commandEnd.destroy();

    let finished = false;
    // Signalling our own group signals us too: that echo is not forwarded again.
    const echoes = new Map<NodeJS.Signals, number>();
    const forwarders = FORWARDED_SIGNALS.map((signal) => {
      const forward = () => {
        const pending = echoes.get(signal) ?? 0;
        if (pending > 0) {
          echoes.set(signal, pending - 1);
          return;
        }
        try {
          if (sharedGroup) echoes.set(signal, pending + 1);
          // kill(0): our own group. Not -pid, which as PID 1 would be kill(-1): every process.
          process.kill(sharedGroup ? 0 : -child.pid!, signal);
        } catch {
          // the group is gone: the command has ended, its exit decides
          echoes.set(signal, pending);
        }
      };
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const finish = (status: number) => {
      if (finished) return;
      finished = true;
      for (const stop of forwarders) stop();
      writeOut(prefixer.finish());
      resolve(status);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Once started, the only errors are failures to signal it; its exit still decides.
      if (child.pid !== undefined) return;
      for (const stop of forwarders) stop();
      channel.reader.destroy();
      reject(cannotStart(command, error));
    });
    let outputEnded = false;
    let status: number | undefined;
    let poll: NodeJS.Timeout | undefined;
    const done = () => {
      if (poll) clearInterval(poll);
      channel.reader.destroy();
      finish(status!);
    };
    // Usually the output ends as the command exits: everything is printed.
    const ended = () => {
      outputEnded = true;
      if (status !== undefined) done();
    };
    channel.reader.once('end', ended);
    channel.reader.once('close', ended);
    channel.reader.once('error', ended);
    child.once('exit', (code, signal) => {
      status = exitStatusOf(code, signal);
      if (outputEnded) {
        done();
        return;
      }
      // Everything the command wrote before it exited is already in the
      // channel, to be read in the next turns of the event loop. A background
      // process may hold the channel open for much longer: print what comes
      // until the output ends or pauses, and no longer than a bound.
      const exitedAt = Date.now();
      let seen = channelActivity.last;
      poll = setInterval(() => {
        const quiet = channelActivity.last === seen;
        seen = channelActivity.last;
        if (quiet || Date.now() - exitedAt >= DRAIN_LIMIT_MS) done();
      }, DRAIN_QUIET_MS);
    });
  });
}
