// Runs a command as a child process and reports its wall time, CPU time and
// peak memory. CPU time and peak memory come from the child itself (a
// preloaded hook writes its process.resourceUsage() at exit), since Node
// cannot read a child's rusage. On a shared, loaded machine the CPU time is
// the steadier figure: wall time also counts the time spent waiting for a core.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Measurement {
  ms: number;
  maxRssMiB: number;
  /** User plus system CPU time of the child. */
  cpuMs: number;
}

const hookDir = mkdtempSync(join(tmpdir(), 'bench-hook-'));
const hook = join(hookDir, 'rss.mjs');
writeFileSync(
  hook,
  "import { writeFileSync } from 'node:fs';\n" +
    "process.on('exit', () => { if (!process.env.BENCH_RSS_FILE) return; const u = process.resourceUsage();" +
    " writeFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`); });\n",
);
process.on('exit', () => rmSync(hookDir, { recursive: true, force: true }));

export function measureNode(args: readonly string[]): Measurement {
  const rssFile = join(hookDir, `rss-${process.hrtime.bigint()}`);
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', hook, ...args], {
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  if (child.status !== 0) {
    throw new Error(`${args.join(' ')} exited with ${child.status}:\n${child.stderr.toString()}`);
  }
  const [maxRssKiB, cpuMicros] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
  rmSync(rssFile, { force: true });
  return { ms, maxRssMiB: maxRssKiB! / 1024, cpuMs: cpuMicros! / 1000 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
