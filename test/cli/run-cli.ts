// Runs the built tc-payload CLI as a real child process, as a user would.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixtures = join(repoRoot, 'taskgraph-fixtures');
export const fixtureRoot = join(fixtures, 'taskcluster');
/** The command as installed: package.json's bin. */
export const cli = join(repoRoot, 'dist', 'cli', 'tc-payload.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const child = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}
