// run-task's two costs a task pays: the throughput of its output prefixing
// (`run-task -- seq 2000000`, next to `seq 2000000 | cat`) and its startup
// (`run-task -- true`, next to bare `node -e 0`, the floor for any Node.js
// program). Run: node scripts/build.mjs && node build/bench/run-task.js [runs] [other bundle ...]
//
// Other run-task bundles given after the number of runs (a variant built
// elsewhere, the previous release) are started in turn with dist/run-task in
// the same startup loop: on a shared machine, runs interleaved this way see the
// same load, where two separate benchmarks do not.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const LINES = 2_000_000;
const STARTUP_RUNS = Number(process.argv[2] ?? 21);
const OTHER_BUNDLES = process.argv.slice(3);
const THROUGHPUT_RUNS = 5;

function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist', 'run-task'))) return dir;
    if (dirname(dir) === dir) throw new Error('dist/run-task not found: run `node scripts/build.mjs` first');
  }
}

const bundle = join(repoRoot(), 'dist', 'run-task');
// As root run-task switches users; root:root keeps the comparison to the bare commands fair.
const userArgs = process.getuid?.() === 0 ? ['--user', 'root', '--group', 'root'] : [];
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TASK_ID: 'bench' };

function timeRun(command: string, args: readonly string[], stdout: number | 'ignore'): number {
  const start = performance.now();
  const result = spawnSync(command, args, { env, stdio: ['ignore', stdout, 'inherit'] });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function repeat(runs: number, once: () => number): { median: number; min: number } {
  const times = Array.from({ length: runs }, once);
  return { median: median(times), min: Math.min(...times) };
}

const devNull = openSync('/dev/null', 'w');
// Other processes on the machine skew every figure: say how busy it was.
console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} at start`);

// Correctness first: every line arrives, prefixed.
const dir = mkdtempSync(join(tmpdir(), 'run-task-bench-'));
try {
  const file = join(dir, 'out');
  const fd = openSync(file, 'w');
  timeRun(process.execPath, [bundle, ...userArgs, '--', 'seq', String(LINES)], fd);
  closeSync(fd);
  const taskLines = readFileSync(file, 'latin1').split('\n').filter((l) => l.startsWith('[task ')).length;
  if (taskLines !== LINES) throw new Error(`expected ${LINES} task lines, got ${taskLines}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const piped = repeat(THROUGHPUT_RUNS, () => timeRun('sh', ['-c', `seq ${LINES} | cat`], devNull));
const prefixed = repeat(THROUGHPUT_RUNS, () => timeRun(process.execPath, [bundle, ...userArgs, '--', 'seq', String(LINES)], devNull));
const rate = (ms: number) => `${((LINES / ms) * 1000 / 1e6).toFixed(1)} M lines/s`;
console.log(`throughput, ${LINES} lines to /dev/null (median of ${THROUGHPUT_RUNS}, min):`);
console.log(`  seq ${LINES} | cat              ${piped.median.toFixed(0)} ms (${piped.min.toFixed(0)})  ${rate(piped.median)}`);
console.log(`  run-task -- seq ${LINES}        ${prefixed.median.toFixed(0)} ms (${prefixed.min.toFixed(0)})  ${rate(prefixed.median)}`);

const contenders: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['run-task -- true', [bundle, ...userArgs, '--', 'true']],
  ...OTHER_BUNDLES.map((other): [string, string[]] => [`${other} -- true`, [other, ...userArgs, '--', 'true']]),
];
const times = contenders.map((): number[] => []);
for (let run = 0; run < STARTUP_RUNS; run++) {
  contenders.forEach(([, args], i) => times[i].push(timeRun(process.execPath, args, devNull)));
}
console.log(`startup (median of ${STARTUP_RUNS}, min; interleaved):`);
contenders.forEach(([label], i) => {
  console.log(`  ${label.padEnd(30)} ${median(times[i]).toFixed(0)} ms (${Math.min(...times[i]).toFixed(0)})`);
});
console.log(`load average ${loadavg()[0].toFixed(2)} at end`);
closeSync(devNull);
