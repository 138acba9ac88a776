// git as a child process. Its output (progress included) is printed as it
// comes, each line under `[vcs …]`, so that a slow clone is visibly alive in
// the task's log; the text is also kept to explain a failure.
import { spawn } from 'node:child_process';
import { logLine } from '../log.js';

export interface GitResult {
  status: number;
  /** stdout and stderr, as printed. */
  output: string;
  /** stdout alone, for commands that answer with a value. */
  stdout: string;
}

/** The status of a git that could not be started (not installed, say). */
export const NOT_STARTED = -1;

export interface GitContext {
  /** The environment git runs with (HOME of the task's user, no prompts). */
  env: NodeJS.ProcessEnv;
  /** The checkout, trusted by every git command even when another user cloned it. */
  safeDirectory: string;
}

export function git(args: readonly string[], context: GitContext, cwd?: string, quiet = false): Promise<GitResult> {
  // safe.directory is honoured on the command line (never from the repository's
  // own config), so nothing is written to the user's ~/.gitconfig.
  const full = ['-c', `safe.directory=${context.safeDirectory}`, ...args];
  return new Promise((resolve) => {
    const child = spawn('git', full, { cwd, env: context.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const kept: string[] = [];
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      // Progress meters redraw with \r: each state is a line of its own here.
      const lines = pending.split(/\r\n|\r|\n/);
      pending = lines.pop()!;
      for (const line of lines) emit(line);
    };
    const emit = (line: string) => {
      if (line === '') return;
      kept.push(line);
      if (!quiet) logLine('vcs', line);
    };
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      onData(chunk);
    });
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      const output = `cannot run git: ${error.message}; install git in the image`;
      logLine('vcs', output);
      resolve({ status: NOT_STARTED, output, stdout: '' });
    });
    child.on('close', (code, signal) => {
      emit(pending);
      resolve({ status: code ?? 128, output: kept.join('\n') + (signal ? `\n(git killed by ${signal})` : ''), stdout });
    });
  });
}
