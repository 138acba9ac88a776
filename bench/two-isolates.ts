// Why `generate --jobs 2` gains nothing on a 2-core machine: generates the two
// halves of the synthetic tree's kinds (each as one thread of a parallel run
// does) in two child processes, first one after the other, then side by side,
// and prints each half's wall and CPU time. If the halves take as long side
// by side as the whole graph alone, the second core was already in use by one
// process's garbage collector and compiler threads.
//   node build/bench/two-isolates.js [TASKS] [RUNS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { planShards } from '../src/transform/parallel/plan-shards.js';
import { median } from './measure.js';
import { writeSyntheticTree } from './synthetic-tree.js';

const taskCount = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);

// The child: one half's kinds through generateShard, then its own CPU time.
const child = `
const { generateShard } = await import(${JSON.stringify(new URL('../src/transform/parallel/generate-shard.js', import.meta.url).href)});
const [root, params, kinds] = process.argv.slice(1);
const shared = new Int32Array(new SharedArrayBuffer(8));
const result = await generateShard({ options: { root, paramsFile: params }, kinds: kinds.split(','), shared });
if (!result.ok) { console.error(result.reason); process.exit(1); }
const u = process.resourceUsage();
console.log(String((u.userCPUTime + u.systemCPUTime) / 1000));
`;

function half(root: string, params: string, kinds: string[]): Promise<{ ms: number; cpuMs: number }> {
  const start = performance.now();
  const proc = spawn(process.execPath, ['--input-type=module', '-e', child, root, params, kinds.join(',')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - start, cpuMs: Number(out.trim()) }) : reject(new Error(`half exited with ${code}`)))),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'bench-two-isolates-'));
try {
  const tree = writeSyntheticTree(dir, taskCount);
  const { kinds } = planShards(tree.root, 2, 0);
  const halves = [kinds.filter((_, i) => i % 2 === 0), kinds.filter((_, i) => i % 2 === 1)];
  const alone: { ms: number; cpuMs: number }[][] = [[], []];
  const together: { ms: number; cpuMs: number }[][] = [[], []];
  await half(tree.root, tree.params, halves[0]!); // warm the file cache
  for (let r = 0; r < runs; r++) {
    for (const i of [0, 1]) alone[i]!.push(await half(tree.root, tree.params, halves[i]!));
    const both = await Promise.all(halves.map((kindsOfHalf) => half(tree.root, tree.params, kindsOfHalf)));
    both.forEach((m, i) => together[i]!.push(m));
  }
  console.log(`median of ${runs} runs, ${taskCount} tasks, node ${process.version}`);
  for (const i of [0, 1]) {
    const fmt = (ms: { ms: number; cpuMs: number }[]) =>
      `${median(ms.map((m) => m.ms)).toFixed(0).padStart(6)} ms wall ${median(ms.map((m) => m.cpuMs)).toFixed(0).padStart(6)} ms CPU`;
    console.log(`half ${i + 1} (${halves[i]!.length} kinds)  alone: ${fmt(alone[i]!)}   side by side: ${fmt(together[i]!)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
