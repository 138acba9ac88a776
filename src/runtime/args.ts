// The command line, compatible with the run-task that taskgraph payloads
// already use: run-task [--user NAME] [--group NAME] [--task-cwd DIR]
// [--<prefix>-checkout PATH ...] -- COMMAND [ARG ...]
import { checkoutOption, emptyCheckoutOptions, recordCheckoutOption, type CheckoutOptions } from './checkout/options.js';
import { RunTaskExit } from './failure.js';

export interface RunTaskArgs {
  user: string;
  group: string;
  taskCwd: string | undefined;
  /** `--<prefix>-checkout PATH`, `--<prefix>-sparse-profile`, `--<prefix>-shallow-clone`, by prefix (e.g. `vcs`). */
  checkouts: CheckoutOptions;
  command: string[];
}

export const USAGE = 'run-task [--user NAME] [--group NAME] [--task-cwd DIR] [--<prefix>-checkout PATH ...] -- COMMAND [ARG ...]';
const SUPPORTED =
  '--user NAME, --group NAME, --task-cwd DIR, --<prefix>-checkout PATH, --<prefix>-sparse-profile PROFILE, --<prefix>-shallow-clone';

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

  const result: RunTaskArgs = { user: 'worker', group: 'worker', taskCwd: undefined, checkouts: emptyCheckoutOptions(), command };
  const ours = argv.slice(0, separator);
  for (let i = 0; i < ours.length; i++) {
    const arg = ours[i];
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals !== -1 ? arg.slice(0, equals) : arg;
    const checkout = checkoutOption(name);
    const known = name === '--user' || name === '--group' || name === '--task-cwd' || checkout !== undefined;
    if (!known) {
      throw usageError(`unknown option ${JSON.stringify(arg)}; run-task supports ${SUPPORTED}`);
    }
    if (checkout && !checkout.takesValue) {
      if (name !== arg) throw usageError(`option ${name} takes no value`);
      recordCheckoutOption(result.checkouts, checkout, undefined);
      continue;
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
    else recordCheckoutOption(result.checkouts, checkout!, value);
  }
  return result;
}
