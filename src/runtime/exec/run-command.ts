// Runs the task's command with its output prefixed line by line, and reports
// how it ended in the way a shell would: its exit status, or 128+N when signal
// N killed it.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as os } from 'node:os';
import { join } from 'node:path';
import { RunTaskExit } from '../failure.js';
import { writeOut } from '../stdout.js';
import { LinePrefixer } from './line-prefixer.js';
import type { OutputChannel } from './output-channel.js';

/** Signals a worker (or a terminal) sends to stop the task: the command must get them too. */
const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function prefixedOutput(): { prefixer: LinePrefixer; onChunk: (bytes: Uint8Array) => void } {
  const prefixer = new LinePrefixer();
  return { prefixer, onChunk: (bytes) => writeOut(prefixer.push(bytes)) };
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

export function runCommand(
  command: readonly string[],
  cwd: string | undefined,
  channel: OutputChannel,
  prefixer: LinePrefixer,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let child;
    try {
      child = spawn(command[0], command.slice(1), {
        cwd,
        env: process.env,
        stdio: ['inherit', channel.commandEnd, channel.commandEnd],
      });
    } catch (error) {
      channel.commandEnd.destroy();
      reject(cannotStart(command, error as NodeJS.ErrnoException));
      return;
    }
    // The command holds its own copy; ours would keep the channel open forever.
    channel.commandEnd.destroy();

    let status: number | undefined;
    let outputEnded = false;
    const forwarders = FORWARDED_SIGNALS.map((signal) => {
      const forward = () => child.kill(signal);
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const finish = () => {
      if (status === undefined || !outputEnded) return;
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
    child.once('exit', (code, signal) => {
      status = exitStatusOf(code, signal);
      finish();
    });
    // Everything the command (and whatever it started) wrote is printed before run-task exits.
    const ended = () => {
      if (outputEnded) return;
      outputEnded = true;
      finish();
    };
    channel.reader.once('end', ended);
    channel.reader.once('close', ended);
    channel.reader.once('error', ended);
  });
}
