// Benchmark of `tc-payload lint` on the synthetic tree of the generate
// benchmark (default 10,000 tasks): wall time and peak memory of the whole
// command (levels 1 and 3, every check, the JSON report), next to one
// `generate` of the same tree. Goal (issue 6): under 3 s.
//   node build/bench/lint.js [TASKS] [RUNS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { measureNode, median, type Measurement } from './measure.js';
import { writeSyntheticTree } from './synthetic-tree.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', 'dist', 'cli', 'tc-payload.js');

const taskCount = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'bench-lint-'));
try {
  const tree = writeSyntheticTree(dir, taskCount);
  const lintArgs = [cli, 'lint', '--root', tree.root, '--params', tree.params, '--format', 'json'];
  const generateArgs = [cli, 'generate', '--root', tree.root, '--params', tree.params, '--output', join(dir, 'out.json')];
  // measureNode refuses a non-zero exit, and lint exits 1 on errors: check the tree lints clean first.
  const check = spawnSync(process.execPath, lintArgs, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const report = JSON.parse(check.stdout) as { summary: { errors: number; warnings: number } };
  if (check.status !== 0) throw new Error(`lint of the synthetic tree failed:\n${check.stdout.slice(0, 4000)}${check.stderr}`);

  const lintRuns: Measurement[] = [];
  const generateRuns: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    lintRuns.push(measureNode(lintArgs));
    generateRuns.push(measureNode(generateArgs));
  }
  const row = (name: string, list: Measurement[]) => {
    const ms = median(list.map((m) => m.ms));
    return `${name.padEnd(30)} ${ms.toFixed(0).padStart(7)} ms ${Math.max(...list.map((m) => m.maxRssMiB)).toFixed(0).padStart(6)} MiB`;
  };
  console.log(`tasks: ${taskCount}; findings: ${report.summary.errors} errors, ${report.summary.warnings} warnings (median of ${runs} runs, node ${process.version})`);
  console.log(row('lint (levels 1 and 3, JSON)', lintRuns));
  console.log(row('generate (one level)', generateRuns));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
