// Shared by the run-task suites: the built bundle run as a real process, real
// users and groups, real directories.
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'build.mjs'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
/** The shipped single-file bundle, exactly what an image COPYs. */
export const runTaskBundle = join(repoRoot, 'dist', 'run-task');

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: Buffer;
  text: string;
  /** The lines the task printed, without their `[task <time>] ` prefix. */
  taskLines: string[];
}

export const TASK_PREFIX = /^\[task \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] /;
export const ISO_TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** run-task leads a process group of its own, as a worker starts it. */
  detached?: boolean;
  /** Called once the process is started, e.g. to send it a signal. */
  onSpawn?: (child: ReturnType<typeof spawn>, output: () => string) => void;
}

/**
 * Runs dist/run-task with exactly the given environment (plus PATH), stdout and
 * stderr collected together as the worker's log would.
 */
export function runTask(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  const spawnOptions: SpawnOptions = { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached };
  if (options.uid !== undefined) spawnOptions.uid = options.uid;
  if (options.gid !== undefined) spawnOptions.gid = options.gid;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runTaskBundle, ...args], spawnOptions);
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    child.stderr!.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    options.onSpawn?.(child, () => Buffer.concat(chunks).toString('utf8'));
    child.on('close', (status, signal) => {
      const output = Buffer.concat(chunks);
      const text = output.toString('utf8');
      const taskLines = text
        .split('\n')
        .filter((l) => TASK_PREFIX.test(l))
        .map((l) => l.replace(TASK_PREFIX, ''));
      resolve({ status, signal, output, text, taskLines });
    });
  });
}

export function tempDir(t: { after: (fn: () => void) => void } | undefined, label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `run-task-${label}-`));
  // The task's user must reach what is inside.
  chmodSync(dir, 0o755);
  t?.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function uniqueName(base: string): string {
  // useradd limits names to 32 characters.
  return `${base}${randomBytes(3).toString('hex')}`;
}

export interface TestUser {
  name: string;
  group: string;
  uid: number;
  gid: number;
}

/** The run-task options that run the command as `user`. */
export const asUser = (user: TestUser) => ['--user', user.name, '--group', user.group];

/** The exact contents of `.cacherequires` for a cache used as `user`. */
export const requirementsOf = (user: TestUser) => `gid=${user.gid}\nuid=${user.uid}\nversion=1`;

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }).trim();

/** A real user with its own primary group (and optional supplementary groups). */
export function createUser(base: string, supplementary: string[] = []): TestUser {
  const name = uniqueName(base);
  sh('groupadd', [name]);
  const args = ['-M', '-N', '-g', name, '-s', '/bin/sh'];
  if (supplementary.length > 0) args.push('-G', supplementary.join(','));
  sh('useradd', [...args, name]);
  return { name, group: name, uid: Number(sh('id', ['-u', name])), gid: Number(sh('id', ['-g', name])) };
}

/** A user for the tests of one file: made when the file loads, removed after its tests. */
export function testUser(base: string, supplementary: string[] = []): TestUser {
  const user = createUser(base, supplementary);
  after(() => removeUser(user));
  return user;
}

/** A group for the tests of one file: made when the file loads, removed after its tests. */
export function testGroup(base: string): { name: string; gid: number } {
  const group = createGroup(base);
  after(() => removeGroup(group.name));
  return group;
}

export function createGroup(base: string): { name: string; gid: number } {
  const name = uniqueName(base);
  sh('groupadd', [name]);
  return { name, gid: Number(sh('getent', ['group', name]).split(':')[2]) };
}

export function removeUser(user: TestUser): void {
  execFileSync('userdel', [user.name], { stdio: 'ignore' });
  removeGroup(user.group);
}

export function removeGroup(name: string): void {
  try {
    execFileSync('groupdel', [name], { stdio: 'ignore' });
  } catch {
    // already gone with its user
  }
}

/** The `[cache <time>]`-style lines run-task printed for itself, prefix removed. */
export function ownLines(text: string, kind: string): string[] {
  const prefix = new RegExp(`^\\[${kind} ${ISO_TIME}\\] `);
  return text
    .split('\n')
    .filter((l) => prefix.test(l))
    .map((l) => l.replace(prefix, ''));
}
