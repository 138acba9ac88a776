// run-task as a single executable (npm run build:sea) in a root directory that
// has no Node.js: the executable, the shared libraries it and the commands
// need, /etc/passwd and /etc/group, /dev and /tmp; run with chroot, as an
// image without Node.js would run it.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { artifactServer } from './fetch/artifact-server.js';
import { repoRoot, TASK_PREFIX, tempDir } from './helpers.js';

const UID = 4321;
let chroot = 'chroot';

/** Fails (never skips) with what is missing when a tool the test needs is absent. */
function requireTool(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`the SEA test needs \`${name}\`, which is not installed (on Debian: apt-get install ${name === 'ldd' ? 'libc-bin' : 'coreutils'})`);
  }
}

/** The files `ldd` names for `binary`: its libraries and the dynamic loader. */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8', timeout: 30_000 });
  const found: string[] = [];
  for (const line of out.split('\n')) {
    const path = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)/.exec(line)?.[1];
    if (path) found.push(path);
  }
  return found;
}

/** Copies `file` (following symlinks) to the same path under `root`. */
function install(root: string, file: string, at = file): void {
  const target = join(root, at);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(file), target);
  chmodSync(target, statSync(file).mode & 0o7777);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)],
  );
}

interface ChrootRun {
  status: number | null;
  text: string;
  taskLines: string[];
}

/** `chroot root /usr/local/bin/run-task ARGS` with exactly `env`, stdout and stderr together; killed after 60 s. */
function chrootRunTask(root: string, args: string[], env: Record<string, string> = {}): Promise<ChrootRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(chroot, [root, '/usr/local/bin/run-task', ...args], {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env },
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      const text = Buffer.concat(chunks).toString('utf8');
      const taskLines = text.split('\n').filter((l) => TASK_PREFIX.test(l)).map((l) => l.replace(TASK_PREFIX, ''));
      resolve({ status, text, taskLines });
    });
  });
}

test('the single executable runs a task, a cache and a fetch in a chroot without Node.js', { timeout: 300_000 }, async (t) => {
  if (process.getuid?.() !== 0) throw new Error('the SEA test runs as root (chroot and mknod need it)');
  requireTool('ldd');
  requireTool('mknod');
  // Absolute: the children's PATH is the chroot's, without /usr/sbin.
  chroot = requireTool('chroot');

  const work = tempDir(t, 'sea');
  const executable = join(work, 'run-task-linux-x64');
  try {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-sea.mjs'), executable], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(`building the single executable failed: ${e.stderr?.toString().trim() || e.message}`);
  }

  const root = join(work, 'root');
  install(root, executable, '/usr/local/bin/run-task');
  for (const binary of ['/bin/sh', '/bin/true']) install(root, binary);
  for (const lib of new Set([executable, '/bin/sh', '/bin/true'].flatMap(sharedLibraries))) install(root, lib);
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'passwd'), `root:x:0:0:root:/root:/bin/sh\nseauser:x:${UID}:${UID}::/home/seauser:/bin/sh\n`);
  writeFileSync(join(root, 'etc', 'group'), `root:x:0:\nseauser:x:${UID}:\n`);
  mkdirSync(join(root, 'dev'));
  execFileSync('mknod', ['-m', '666', join(root, 'dev', 'null'), 'c', '1', '3']);
  execFileSync('mknod', ['-m', '444', join(root, 'dev', 'urandom'), 'c', '1', '9']);
  mkdirSync(join(root, 'tmp'));
  chmodSync(join(root, 'tmp'), 0o1777);

  const nodes = walk(root).filter((p) => /^node(js)?$/.test(p.split('/').pop()!));
  assert.deepEqual(nodes, [], 'no node in the root directory');
  const lookup = await new Promise<number | null>((resolve, reject) =>
    spawn(chroot, [root, '/bin/sh', '-c', 'command -v node'], { stdio: 'ignore', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } })
      .on('error', reject)
      .on('close', resolve),
  );
  assert.notEqual(lookup, 0, 'node is not found in the chroot');

  const hello = await chrootRunTask(root, ['--user', 'root', '--group', 'root', '--', '/bin/sh', '-c', 'echo hello']);
  assert.equal(hello.status, 0, hello.text);
  assert.deepEqual(hello.taskLines, ['hello'], hello.text);
  // Node.js 20 would print it on every task's log unless the build turns it off.
  assert.doesNotMatch(hello.text, /experimental/i);

  // A cache: an empty directory gets its requirements, for the task's user.
  mkdirSync(join(root, 'cache'));
  const cached = await chrootRunTask(root, ['--user', 'seauser', '--group', 'seauser', '--', '/bin/true'], {
    TASKCLUSTER_CACHES: '/cache',
  });
  assert.equal(cached.status, 0, cached.text);
  assert.equal(readFileSync(join(root, 'cache', '.cacherequires'), 'utf8'), `gid=${UID}\nuid=${UID}\nversion=1`);
  assert.equal(statSync(join(root, 'cache')).uid, UID, 'the cache belongs to the task user');

  // A fetch: the fetch code is kept compressed in the bundle and compiled on
  // demand, with only built-in modules, which a single executable can load.
  const server = await artifactServer(t);
  const body = Buffer.from('fetched through the single executable\n');
  server.add('TASKsea', 'public/note.txt', { body });
  mkdirSync(join(root, 'work'));
  const fetched = await chrootRunTask(root, ['--user', 'root', '--group', 'root', '--', '/bin/true'], {
    TASKCLUSTER_ROOT_URL: server.url,
    MOZ_FETCHES: JSON.stringify([{ artifact: 'public/note.txt', task: 'TASKsea', extract: false }]),
    MOZ_FETCHES_DIR: '/work/fetches',
    RUN_TASK_FETCH_RETRY_DELAY: '0.05',
  });
  assert.equal(fetched.status, 0, fetched.text);
  assert.deepEqual(readFileSync(join(root, 'work', 'fetches', 'note.txt')), body);
});
