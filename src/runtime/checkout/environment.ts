// What the task's command learns about the checkouts, and the path variables
// it gets as absolute paths: they are often given relative to the task's
// directory, and a command that changes directory (--task-cwd into a checkout)
// would otherwise resolve them elsewhere. The list is taskgraph run-task's, so
// that commands written for it find the same values.
import { resolve } from 'node:path';
import { logLine } from '../log.js';

export const PATH_VARIABLES = [
  'CARGO_HOME',
  'GECKO_PATH',
  'MOZ_FETCHES_DIR',
  'MOZ_PYTHON_HOME',
  'MOZ_UV_HOME',
  'PIP_CACHE_DIR',
  'UPLOAD_DIR',
  'UV_CACHE_DIR',
  'npm_config_cache',
] as const;

/**
 * Makes the known path variables and `<PREFIX>_PATH` of every repository
 * prefix absolute (those that are set), printing each, and records the
 * revision each checkout ended at in `<PREFIX>_HEAD_REV` (a task given only a
 * ref learns the revision it got).
 */
export function exportCheckoutEnvironment(
  prefixes: readonly string[],
  revisions: ReadonlyMap<string, string>,
  workdir: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const names = [...PATH_VARIABLES, ...prefixes.map((p) => `${p.toUpperCase()}_PATH`)];
  for (const name of new Set(names)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const absolute = resolve(workdir, value);
    env[name] = absolute;
    logLine('setup', `${name} is ${absolute}`);
  }
  for (const [prefix, revision] of revisions) env[`${prefix.toUpperCase()}_HEAD_REV`] = revision;
}
