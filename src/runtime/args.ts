// The command line, compatible with the run-task that taskgraph payloads
// already use: run-task [--user NAME] [--group NAME] [--task-cwd DIR]
// [--<prefix>-checkout PATH ...] -- COMMAND [ARG ...]
import { RunTaskExit } from './failure.js';

export interface RunTaskArgs {
  user: string;
  group: string;
  taskCwd: string | undefined;
  /** `--<prefix>-checkout PATH`, by prefix (e.g. `vcs`). */
  checkouts: Map<string, string>;
  command: string[];
}

export const USAGE = 'run-task [--user NAME] [--group NAME] [--task-cwd DIR] [--<prefix>-checkout PATH ...] -- COMMAND [ARG ...]';
const SUPPORTED = '--user NAME, --group NAME, --task-cwd DIR, --<prefix>-checkout PATH';
const CHECKOUT = /^--([A-Za-z0-9][A-Za-z0-9_-]*)-checkout$/;

function usageError(message: string): RunTaskExit {
  return new RunTaskExit(1, 'setup', [`error: ${message}`, `usage: ${USAGE}`]);
}

export function parseArgs(argv: readonly string[]): RunTaskArgs {
  const separator = argv.indexOf('--');
  if (separator === -1) {
    throw usageError('missing `--` before the command to run (run-task takes its own options, then `--`, then the command)');
  }
  const command = argv.slice(separator + 1);
  if (command.length === 0) throw usageError('no command after `--`: give the command the task runs');

  const result: RunTaskArgs = { user: 'worker', group: 'worker', taskCwd: undefined, checkouts: new Map(), command };
  const ours = argv.slice(0, separator);
  for (let i = 0; i < ours.length; i++) {
    const arg = ours[i];
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals !== -1 ? arg.slice(0, equals) : arg;
    const known = name === '--user' || name === '--group' || name === '--task-cwd' || CHECKOUT.test(name);
    if (!known) {
      throw usageError(`unknown option ${JSON.stringify(arg)}; run-task supports ${SUPPORTED}`);
    }
    let value: string;
    if (name !== arg) {
      value = arg.slice(equals + 1);
    } else {
      if (i + 1 >= ours.length) throw usageError(`option ${name} needs a value`);
      value = ours[++i];
    }
    if (value === '') throw usageError(`option ${name} needs a non-empty value`);
    if (name === '--user') result.user = value;
    else if (name === '--group') result.group = value;
    else if (name === '--task-cwd') result.taskCwd = value;
    else result.checkouts.set(CHECKOUT.exec(name)![1], value);
  }
  return result;
}
