// The run-task command line: how run-task is invoked, its own options, `--`,
// then the task's command (taskgraph's run_task.py).
import type { RunCommand, TaskReference } from './run-description.js';

/** What a string command is run with, by `exec-with`. */
export const EXEC_WITH: Readonly<Record<'bash' | 'powershell', readonly string[]>> = {
  bash: ['bash', '-cx'],
  powershell: ['powershell.exe', '-ExecutionPolicy', 'Bypass'],
};

export const DOCKER_WORKER_RUN_TASK = ['/usr/local/bin/run-task'] as const;
export const GENERIC_WORKER_RUN_TASK = ['./run-task'] as const;
/** taskgraph's Python run-task, with the Python that mozilla-build installs: see docs/taskgraph-compatibility.md. */
export const WINDOWS_RUN_TASK = ['C:/mozilla-build/python3/python3.exe', 'run-task'] as const;

export interface CommandLineParts {
  runTaskCommand: readonly string[];
  checkoutArgs: readonly string[];
  cwd?: string;
  runAsRoot: boolean;
  command: RunCommand;
  execWith: 'bash' | 'powershell';
  /** On Windows a string command is quoted, since the whole line becomes one batch-file line. */
  windows?: boolean;
}

/** `<run-task> [--<prefix>-checkout=…] [--task-cwd DIR] [--user root --group root] -- <command>` */
export function runTaskCommandLine(parts: CommandLineParts): (string | TaskReference)[] {
  const line: (string | TaskReference)[] = [...parts.runTaskCommand, ...parts.checkoutArgs];
  if (parts.cwd !== undefined) line.push('--task-cwd', parts.cwd);
  if (parts.runAsRoot) line.push('--user', 'root', '--group', 'root');
  line.push('--');
  // A list is the argv as written; a string (or a task reference, which
  // becomes one once resolved) is a script for the shell.
  if (Array.isArray(parts.command)) line.push(...parts.command);
  else if (parts.windows) {
    // Quoted as one argument of the batch-file line; a task reference too, since it becomes a string command once resolved.
    const command = parts.command;
    line.push(...EXEC_WITH[parts.execWith], typeof command === 'string' ? `"${command}"` : { 'task-reference': `"${command['task-reference']}"` });
  } else line.push(...EXEC_WITH[parts.execWith], parts.command);
  return line;
}
