// The cost of run-task's fetches next to what a task would do by hand: one
// artifact of about 1 GiB (a .tar.zst made here, of base64 text, which
// compresses about as well as a toolchain does), served by a local HTTP server,
// fetched and extracted by
//
//   curl -sSf URL | tar -x -I zstd -f -        (the floor: no checks at all)
//   run-task with MOZ_FETCHES, extract: true   (also counts, hashes, stages)
//
// and, without extraction, `curl -sSf -o FILE URL` next to `extract: false`.
// Everything is made under the temporary directory and removed at the end.
// Run: node scripts/build.mjs && node build/bench/fetch.js [GiB] [runs]
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const GIB = Number(process.argv[2] ?? 1);
const RUNS = Number(process.argv[3] ?? 3);

function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist', 'run-task'))) return dir;
    if (dirname(dir) === dir) throw new Error('dist/run-task not found: run `node scripts/build.mjs` first');
  }
}

const bundle = join(repoRoot(), 'dist', 'run-task');
const userArgs = process.getuid?.() === 0 ? ['--user', 'root', '--group', 'root'] : [];
const work = mkdtempSync(join(tmpdir(), 'fetch-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} at start`);

// base64 of random bytes: 4/3 of the target size, compressing back to about the target.
const tree = join(work, 'tree', 'toolchain');
mkdirSync(tree, { recursive: true });
const files = 64;
const perFile = Math.round((GIB * 2 ** 30) / files);
let started = performance.now();
for (let i = 0; i < files; i++) {
  execFileSync('sh', ['-c', `head -c ${perFile} /dev/urandom | base64 -w 76 > ${join(tree, `part-${i}.txt`)}`]);
}
const archive = join(work, 'toolchain.tar.zst');
execFileSync('sh', ['-c', `tar -C ${join(work, 'tree')} -cf - toolchain | zstd -q -T0 -3 -o ${archive}`]);
rmSync(join(work, 'tree'), { recursive: true, force: true });
const size = statSync(archive).size;
console.log(`archive: ${(size / 2 ** 30).toFixed(2)} GiB .tar.zst of ${files} files (made in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

const server = createServer((request, response) => {
  if (!request.url?.endsWith('/toolchain.tar.zst')) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
  createReadStream(archive, { highWaterMark: 1 << 20 }).pipe(response);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const url = `${root}/api/queue/v1/task/BENCH/artifacts/public/toolchain.tar.zst`;

const timeProgram = ['/usr/bin/time', '/bin/time'].find((path) => existsSync(path));
const cpuFile = join(work, 'cpu');

/**
 * Runs `command` in a fresh directory (making and removing it not timed);
 * the wall time and, through GNU time when the machine has it, the CPU time
 * of the command and every process it waited for (curl, tar, zstd; run-task's
 * tar and zstd), which a loaded machine changes less than the wall time.
 */
async function timed(command: string, args: string[], env: Record<string, string> = {}): Promise<{ ms: number; cpuMs: number | undefined; dir: string }> {
  const dir = join(work, 'run');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const [program, programArgs] = timeProgram ? [timeProgram, ['-f', '%U %S', '-o', cpuFile, command, ...args]] : [command, args];
  const start = performance.now();
  // Asynchronous: the server runs in this process.
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(program, programArgs, { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', resolve);
  });
  const ms = performance.now() - start;
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${status}`);
  const cpuMs = timeProgram ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000 : undefined;
  return { ms, cpuMs, dir };
}

const fetchEnv = (extract: boolean) => ({
  TASKCLUSTER_ROOT_URL: root,
  MOZ_FETCHES: JSON.stringify([{ artifact: 'public/toolchain.tar.zst', task: 'BENCH', extract }]),
  MOZ_FETCHES_DIR: 'fetches',
});

const contenders: [string, () => ReturnType<typeof timed>, (dir: string) => void][] = [
  ['curl | tar -x -I zstd', () => timed('sh', ['-c', `curl -sSf ${url} | tar -x -I zstd -f -`]), (dir) => expectTree(join(dir, 'toolchain'))],
  ['run-task, extract: true', () => timed(process.execPath, [bundle, ...userArgs, '--', 'true'], fetchEnv(true)), (dir) => expectTree(join(dir, 'fetches', 'toolchain'))],
  ['curl -o FILE', () => timed('curl', ['-sSf', '-o', 'toolchain.tar.zst', url]), (dir) => expectFile(join(dir, 'toolchain.tar.zst'))],
  ['run-task, extract: false', () => timed(process.execPath, [bundle, ...userArgs, '--', 'true'], fetchEnv(false)), (dir) => expectFile(join(dir, 'fetches', 'toolchain.tar.zst'))],
];

function expectTree(dir: string): void {
  const names = readdirSync(dir);
  if (names.length !== files) throw new Error(`${dir}: ${names.length} files, expected ${files}`);
}
function expectFile(file: string): void {
  if (statSync(file).size !== size) throw new Error(`${file} is not ${size} bytes`);
}

const times = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
const cpu = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
// Interleaved, so that a change in the machine's load falls on all of them alike.
for (let run = 0; run < RUNS; run++) {
  for (const [name, go, check] of contenders) {
    const { ms, cpuMs, dir } = await go();
    check(dir);
    times.get(name)!.push(ms);
    if (cpuMs !== undefined) cpu.get(name)!.push(cpuMs);
  }
}
server.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`median of ${RUNS} runs (min), ${(size / 2 ** 20).toFixed(0)} MiB; CPU: user + system of the command and its children:`);
for (const [name] of contenders) {
  const values = times.get(name)!;
  const ms = median(values);
  const cpuValues = cpu.get(name)!;
  const cpuText = cpuValues.length > 0 ? `   CPU ${seconds(median(cpuValues))} (${seconds(Math.min(...cpuValues))})` : '';
  console.log(`  ${name.padEnd(26)} ${seconds(ms)} (${seconds(Math.min(...values))})  ${((size / 2 ** 20) / (ms / 1000)).toFixed(0)} MiB/s${cpuText}`);
}
console.log(`load average ${loadavg()[0].toFixed(2)} at end`);
