// Benchmark of the two ways into `tc-payload lint` that issue 17 added, on the
// synthetic tree of the generate benchmark (default 10,000 tasks):
// - `lint --graph` on that tree's generated graph (full-task-graph.json form),
//   goal under 1 s;
// - `lint --root` with nothing else (parameters from the checkout, here the
//   placeholders of a directory outside any checkout), goal no slower than two
//   `generate` runs of the same tree.
//   node build/bench/lint-graph.js [TASKS] [RUNS]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNode, median, type Measurement } from './measure.js';
import { writeSyntheticTree } from './synthetic-tree.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', 'dist', 'cli', 'tc-payload.js');

const taskCount = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'bench-lint-graph-'));
try {
  const tree = writeSyntheticTree(dir, taskCount);
  const graph = join(dir, 'full-task-graph.json');
  const generateArgs = [cli, 'generate', '--root', tree.root, '--params', tree.params, '--output', graph];
  const made = spawnSync(process.execPath, generateArgs, { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`generate of the synthetic tree failed:\n${made.stderr}`);
  const graphArgs = [cli, 'lint', '--graph', graph, '--format', 'json'];
  const rootArgs = [cli, 'lint', '--root', tree.root, '--format', 'json'];
  // measureNode refuses a non-zero exit: both must lint clean, or the timing is of other work.
  for (const args of [graphArgs, rootArgs]) {
    const check = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (check.status !== 0) throw new Error(`${args.slice(1, 3).join(' ')} failed:\n${check.stdout.slice(0, 4000)}${check.stderr}`);
  }
  const graphRuns: Measurement[] = [];
  const rootRuns: Measurement[] = [];
  const generateRuns: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    graphRuns.push(measureNode(graphArgs));
    rootRuns.push(measureNode(rootArgs));
    generateRuns.push(measureNode(generateArgs));
  }
  const row = (name: string, list: Measurement[]) => {
    const ms = median(list.map((m) => m.ms));
    const cpu = median(list.map((m) => m.cpuMs));
    return `${name.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms wall ${cpu.toFixed(0).padStart(7)} ms CPU ${Math.max(...list.map((m) => m.maxRssMiB)).toFixed(0).padStart(6)} MiB`;
  };
  const mib = (statSync(graph).size / 1024 / 1024).toFixed(1);
  console.log(`tasks: ${taskCount}; graph file ${mib} MiB (median of ${runs} runs, node ${process.version})`);
  console.log(row('lint --graph (JSON report)', graphRuns));
  console.log(row('lint --root, no --params (JSON)', rootRuns));
  console.log(row('generate (one level)', generateRuns));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
