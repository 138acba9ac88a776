// Benchmark of `tc-payload generate` on a synthetic tree (default 10,000
// tasks): wall time, tasks per second, CPU time and peak memory, next to the
// bare cost of parsing the same YAML and writing the same JSON. `generate`
// runs twice: in one thread (`--jobs 1`) and with one thread per core.
//   node build/bench/generate.js [TASKS] [RUNS]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNode, median, type Measurement } from './measure.js';
import { writeSyntheticTree } from './synthetic-tree.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', 'dist', 'cli', 'tc-payload.js');
const baselineScript = join(here, 'parse-and-serialize.js');

const taskCount = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'bench-generate-'));
try {
  const tree = writeSyntheticTree(dir, taskCount);
  const out = join(dir, 'out.json');
  const baseArgs = [cli, 'generate', '--root', tree.root, '--params', tree.params, '--output', out];
  const serialArgs = [...baseArgs, '--jobs', '1'];
  const generateArgs = [...baseArgs, '--jobs', String(availableParallelism())];
  measureNode(serialArgs); // warm the file cache
  const serialOutput = readFileSync(out, 'utf8');
  const produced = Object.keys(JSON.parse(serialOutput) as object).length;
  measureNode(generateArgs);
  if (readFileSync(out, 'utf8') !== serialOutput) throw new Error('generate with threads wrote other bytes than --jobs 1');

  const gen: Measurement[] = [];
  const serial: Measurement[] = [];
  const base: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    gen.push(measureNode(generateArgs));
    serial.push(measureNode(serialArgs));
    base.push(measureNode([baselineScript, tree.root, out, join(dir, 'baseline.json')]));
  }
  const genMs = median(gen.map((m) => m.ms));
  const baseMs = median(base.map((m) => m.ms));
  const genCpu = median(gen.map((m) => m.cpuMs));
  const baseCpu = median(base.map((m) => m.cpuMs));
  const serialMs = median(serial.map((m) => m.ms));
  const serialCpu = median(serial.map((m) => m.cpuMs));
  const row = (name: string, ms: number, cpu: number, rss: number) =>
    `${name.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms wall ${((produced / ms) * 1000).toFixed(0).padStart(9)} tasks/s ` +
    `${cpu.toFixed(0).padStart(7)} ms CPU ${rss.toFixed(0).padStart(6)} MiB`;
  console.log(`tasks generated: ${produced} (median of ${runs} runs, node ${process.version})`);
  console.log(row(`generate --jobs ${availableParallelism()}`, genMs, genCpu, Math.max(...gen.map((m) => m.maxRssMiB))));
  console.log(row('generate --jobs 1', serialMs, serialCpu, Math.max(...serial.map((m) => m.maxRssMiB))));
  console.log(row('parse YAML + write JSON', baseMs, baseCpu, Math.max(...base.map((m) => m.maxRssMiB))));
  console.log(`ratio generate --jobs 1 / parse+write: ${(serialMs / baseMs).toFixed(2)}x wall, ${(serialCpu / baseCpu).toFixed(2)}x CPU`);
  console.log(`ratio generate --jobs ${availableParallelism()} / parse+write: ${(genMs / baseMs).toFixed(2)}x wall, ${(genCpu / baseCpu).toFixed(2)}x CPU`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
