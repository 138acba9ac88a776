// Runs a command as a child process and reports its wall time and peak memory.
// Peak memory comes from the child itself (a preloaded hook prints
// process.resourceUsage().maxRSS at exit), since Node cannot read a child's
// rusage.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Measurement {
  ms: number;
  maxRssMiB: number;
}

const hookDir = mkdtempSync(join(tmpdir(), 'bench-hook-'));
const hook = join(hookDir, 'rss.mjs');
writeFileSync(
  hook,
  "import { writeFileSync } from 'node:fs';\n" +
    "process.on('exit', () => { if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n",
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
  const maxRssKiB = Number(readFileSync(rssFile, 'utf8'));
  return { ms, maxRssMiB: maxRssKiB / 1024 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
