// Issue 5, part 5: run-task on large caches, next to the plain commands doing
// the same work.
//
// 1. An untrusted cache of 100,000 files whose owner changed (a task of another
//    user had it): `run-task -- true` re-owns it, next to `chown -R`.
// 2. A reused checkout of a 20,000-file repository, left dirty by the previous
//    task (build products, untracked files, a nested repository), moved to a
//    new revision: `run-task --vcs-checkout … -- true`, next to the git commands
//    a task would run itself (fetch, checkout, clean).
//
// Run as root: node scripts/build.mjs && node build/bench/large-cache.js [runs] [reown|checkout]
// Each figure is the median of `runs` (default 3) whole runs, startup included.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 3);
const ONLY = process.argv[3];
const CACHE_FILES = 100_000;
const REPO_FILES = 20_000;
const FILES_PER_DIR = 100;

if (process.getuid?.() !== 0) throw new Error('run the benchmark as root: run-task only re-owns caches as root');

function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist', 'run-task'))) return dir;
    if (dirname(dir) === dir) throw new Error('dist/run-task not found: run `node scripts/build.mjs` first');
  }
}
const bundle = join(repoRoot(), 'dist', 'run-task');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timed(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; cwd?: string } = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout.toString().slice(-3000)}${result.stderr.toString().slice(-3000)}`);
  }
  return ms;
}

const run = (command: string, args: readonly string[], cwd?: string) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

/** `count` small files under `root`, FILES_PER_DIR per directory. */
function fillTree(root: string, count: number, content: (i: number) => string): void {
  for (let i = 0; i < count; i++) {
    const dir = join(root, `d${String(Math.floor(i / FILES_PER_DIR)).padStart(4, '0')}`);
    if (i % FILES_PER_DIR === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i % FILES_PER_DIR}`), content(i));
  }
}

interface BenchUser {
  name: string;
  uid: number;
  gid: number;
}

function createUser(): BenchUser {
  const name = `rtbench${randomBytes(3).toString('hex')}`;
  run('groupadd', [name]);
  run('useradd', ['-M', '-N', '-g', name, '-s', '/bin/sh', name]);
  return { name, uid: Number(run('id', ['-u', name])), gid: Number(run('id', ['-g', name])) };
}

function removeUser(user: BenchUser): void {
  spawnSync('userdel', [user.name]);
  spawnSync('groupdel', [user.name]);
}

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const work = mkdtempSync(join(tmpdir(), 'bench-large-cache-'));
// The task's users must reach what is inside.
chmodSync(work, 0o755);
const users = [createUser(), createUser()];
const asUser = (u: BenchUser) => ['--user', u.name, '--group', u.name];
console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} at start; ${RUNS} runs each`);
try {
  // 1. Re-owning.
  if (ONLY !== 'checkout') reowning();
  if (ONLY !== 'reown') checkoutReuse();
  console.log(`load average ${loadavg()[0].toFixed(2)} at end`);
} finally {
  for (const u of users) removeUser(u);
  rmSync(work, { recursive: true, force: true });
}

function reowning(): void {
  const cache = join(work, 'cache');
  mkdirSync(cache);
  const cacheEnv = { PATH, TASKCLUSTER_CACHES: cache, TASKCLUSTER_UNTRUSTED_CACHES: '1', TASK_ID: 'bench' };
  timed(process.execPath, [bundle, ...asUser(users[0]), '--', 'true'], { env: cacheEnv });
  fillTree(cache, CACHE_FILES, () => 'x');
  run('chown', ['-R', `${users[0].uid}:${users[0].gid}`, cache]);
  const reown: number[] = [];
  const chownR: number[] = [];
  const [a, b] = users;
  for (let i = 0; i < RUNS; i++) {
    // Every measured run changes the owner of every file: from a's to b's.
    run('chown', ['-R', `${a.uid}:${a.gid}`, cache]);
    timed(process.execPath, [bundle, ...asUser(a), '--', 'true'], { env: cacheEnv });
    reown.push(timed(process.execPath, [bundle, ...asUser(b), '--', 'true'], { env: cacheEnv }));
    run('chown', ['-R', `${a.uid}:${a.gid}`, cache]);
    chownR.push(timed('chown', ['-R', `${b.uid}:${b.gid}`, cache]));
  }
  const ratio1 = median(reown) / median(chownR);
  console.log(`re-owning a cache of ${CACHE_FILES} files (median of ${RUNS}):`);
  console.log(`  chown -R                          ${median(chownR).toFixed(0)} ms`);
  console.log(`  run-task -- true (re-owns)        ${median(reown).toFixed(0)} ms  (${ratio1.toFixed(2)}x; goal 1.2x)`);
  // The same run on the cache b now owns: what any run-task costs before re-owning (startup, validation).
  const bare = median(Array.from({ length: RUNS }, () => timed(process.execPath, [bundle, ...asUser(b), '--', 'true'], { env: cacheEnv })));
  const own = median(reown) - bare;
  console.log(`  run-task -- true (nothing to do)  ${bare.toFixed(0)} ms; re-owning's own cost ${own.toFixed(0)} ms (${(own / median(chownR)).toFixed(2)}x)`);
  rmSync(cache, { recursive: true, force: true });
}

function checkoutReuse(): void {
  const user = users[0];
  const source = join(work, 'source');
  mkdirSync(source);
  run('git', ['init', '--quiet', '--initial-branch=main'], source);
  fillTree(source, REPO_FILES, (i) => `file ${i}\n`);
  writeFileSync(join(source, '.gitignore'), 'build/\n');
  const commit = (message: string) => {
    run('git', ['add', '--all'], source);
    run('git', ['-c', 'gc.auto=0', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '--quiet', '-m', message], source);
    return run('git', ['rev-parse', 'HEAD'], source);
  };
  const revisions = [commit('first')];
  // A typical next revision: a few hundred files changed.
  for (let i = 0; i < REPO_FILES; i += 50) writeFileSync(join(source, `d${String(Math.floor(i / FILES_PER_DIR)).padStart(4, '0')}`, `f${i % FILES_PER_DIR}`), `changed ${i}\n`);
  revisions.push(commit('second'));
  // Packed, as a served repository is; also ends the background gc that the
  // commits of so many files started, which would race the clones below.
  run('git', ['gc', '--quiet'], source);
  run('chown', ['-R', `${user.uid}:${user.gid}`, source]);

  const checkoutCache = join(work, 'checkouts');
  mkdirSync(checkoutCache);
  const checkout = join(checkoutCache, 'src');
  const plain = join(work, 'plain', 'src');
  const vcsEnv = (rev: string) => ({ PATH, TASKCLUSTER_CACHES: checkoutCache, VCS_HEAD_REPOSITORY: source, VCS_HEAD_REV: rev, TASK_ID: 'bench' });
  const dirty = (dir: string) =>
    timed('sh', ['-c', 'mkdir -p build && for d in $(seq 1 20); do mkdir -p build/$d && (cd build/$d && touch $(seq 1 100)); done; touch untracked; git init -q nested/repo'], {
      cwd: dir,
      uid: user.uid,
      gid: user.gid,
      env: { PATH, HOME: '/nonexistent' },
    });
  const gitAsUser = (dir: string, script: string) =>
    timed('sh', ['-c', script], { cwd: dir, uid: user.uid, gid: user.gid, env: { PATH, HOME: '/nonexistent' } });

  // The first clones, not measured.
  timed(process.execPath, [bundle, ...asUser(user), '--vcs-checkout', checkout, '--', 'true'], { env: vcsEnv(revisions[0]) });
  mkdirSync(dirname(plain), { recursive: true });
  run('chown', [`${user.uid}:${user.gid}`, dirname(plain)]);
  gitAsUser(dirname(plain), `git clone --quiet --no-checkout ${source} src && cd src && git checkout --quiet --detach ${revisions[0]}`);

  const reuse: number[] = [];
  const plainGit: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    const rev = revisions[(i + 1) % 2];
    dirty(checkout);
    reuse.push(timed(process.execPath, [bundle, ...asUser(user), '--vcs-checkout', checkout, '--', 'true'], { env: vcsEnv(rev) }));
    dirty(plain);
    plainGit.push(
      gitAsUser(plain, `git fetch --quiet --no-tags ${source} ${rev} && git checkout --quiet --force --detach ${rev} && git clean -d -f -f -x --quiet && git rev-parse --verify HEAD >/dev/null`),
    );
  }
  const ratio2 = median(reuse) / median(plainGit);
  console.log(`reusing a checkout of ${REPO_FILES} files at a new revision, after 2,000 build products, an untracked file and a nested repository (median of ${RUNS * 2}):`);
  console.log(`  git fetch; checkout; clean -ffdx  ${median(plainGit).toFixed(0)} ms`);
  console.log(`  run-task --vcs-checkout -- true   ${median(reuse).toFixed(0)} ms  (${ratio2.toFixed(2)}x; goal 1.2x)`);
  // What any run-task costs without a checkout (startup, cache validation): the rest is the checkout's own.
  const bare = median(Array.from({ length: RUNS * 2 }, () => timed(process.execPath, [bundle, ...asUser(user), '--', 'true'], { env: vcsEnv(revisions[0]) })));
  const own = median(reuse) - bare;
  console.log(`  run-task -- true (no checkout)    ${bare.toFixed(0)} ms; the checkout's own cost ${own.toFixed(0)} ms (${(own / median(plainGit)).toFixed(2)}x)`);
}
