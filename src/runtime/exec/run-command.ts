// Runs the task's command with its output prefixed line by line, and reports
// how it ended in the way a shell would: its exit status, or 128+N when signal
// N killed it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { RunTaskExit } from '../failure.js';
import { writeOut } from '../stdout.js';
import { LinePrefixer } from './line-prefixer.js';
import type { OutputChannel } from './output-channel.js';

/** Signals a worker (or a terminal) sends to stop the task: the command must get them too. */
const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function prefixedOutput(): { prefixer: LinePrefixer; onChunk: (bytes: Uint8Array) => void } {
  const prefixer = new LinePrefixer('task');
  return { prefixer, onChunk: (bytes) => writeOut(prefixer.push(bytes)) };
}

export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

function cannotStart(command: readonly string[], error: NodeJS.ErrnoException): RunTaskExit {
  const name = JSON.stringify(command[0]);
  const where = command[0].includes('/') ? 'no such file' : `not found in PATH (${process.env.PATH ?? 'PATH is not set'})`;
  const why =
    error.code === 'ENOENT'
      ? where
      : error.code === 'EACCES'
        ? 'permission denied (is it an executable file the task user may run?)'
        : error.message;
  return new RunTaskExit(1, 'setup', [`error: cannot run command ${name}: ${why}`]);
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
