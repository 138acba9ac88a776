// What the task's command learns about the checkouts, and the path variables
// it gets as absolute paths: they are often given relative to the task's
// directory, and a command that changes directory (--task-cwd into a checkout)
// would otherwise resolve them elsewhere.
import { isAbsolute, resolve } from 'node:path';
import { logLine } from '../log.js';
import type { Checkout } from './repositories.js';

export const PATH_VARIABLES = [
  'CARGO_HOME',
  'GRADLE_USER_HOME',
  'HG_STORE_PATH',
  'MOZ_FETCHES_DIR',
  'PIP_CACHE_DIR',
  'UPLOAD_DIR',
  'UV_CACHE_DIR',
  'VCS_PATH',
  'npm_config_cache',
] as const;

/** Sets `<PREFIX>_PATH` for each checkout and makes the known path variables absolute, printing each. */
export function exportCheckoutEnvironment(checkouts: readonly Checkout[], workdir: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const name of PATH_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const absolute = isAbsolute(value) ? value : resolve(workdir, value);
    env[name] = absolute;
    logLine('setup', `${name} is ${absolute}`);
  }
  for (const checkout of checkouts) {
    const name = `${checkout.prefix.toUpperCase()}_PATH`;
    env[name] = checkout.path;
    logLine('setup', `${name} is ${checkout.path}`);
  }
}
