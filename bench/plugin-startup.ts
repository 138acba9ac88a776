// Start-up of `generate` on the worked plugin example (taskgraph-fixtures/plugins:
// transforms, a kind loader and a register function of the repository's own, in
// TypeScript) next to the same tree with the plugins left out of kind.yml and
// config.yml: the cost of loading plugins with a warm compile cache, and once
// with a cold one (esbuild compiling them).
//   node build/bench/plugin-startup.js [RUNS]
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNode, median, type Measurement } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const cli = join(repo, 'dist', 'cli', 'tc-payload.js');
const params = join(repo, 'taskgraph-fixtures', 'params.yml');
const runs = Number(process.argv[2] ?? 21);

const dir = mkdtempSync(join(tmpdir(), 'bench-plugins-'));
try {
  const withPlugin = join(dir, 'with', 'taskcluster');
  const without = join(dir, 'without', 'taskcluster');
  cpSync(join(repo, 'taskgraph-fixtures', 'plugins'), join(dir, 'with'), { recursive: true });
  cpSync(join(repo, 'taskgraph-fixtures', 'plugins'), join(dir, 'without'), { recursive: true });
  // Without register (config.yml), and without the kinds that cannot exist without it: the bare run and the signing builder.
  writeFileSync(join(without, 'config.yml'), readFileSync(join(without, 'config.yml'), 'utf8').replace(/^ {4}register: .*\n/m, ''));
  for (const kind of ['build', 'signing']) rmSync(join(without, 'kinds', kind), { recursive: true, force: true });
  for (const kind of readdirSync(join(without, 'kinds'))) {
    const file = join(without, 'kinds', kind, 'kind.yml');
    // Without the transform, and without the loader (the kind then has only the tasks kind.yml writes).
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {4}- self_taskgraph\..*\n/m, '').replace(/^loader: self_taskgraph\..*\n/m, ''));
  }
  process.env.TC_PAYLOAD_CACHE_DIR = join(dir, 'cache');
  const args = (root: string) => [cli, 'generate', '--root', root, '--params', params, '--output', join(dir, 'out.json')];

  const cold: Measurement[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    rmSync(join(dir, 'cache'), { recursive: true, force: true });
    cold.push(measureNode(args(withPlugin)));
  }
  const warm: Measurement[] = [];
  const bare: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    warm.push(measureNode(args(withPlugin)));
    bare.push(measureNode(args(without)));
  }
  // On a loaded machine CPU time is the steadier figure (wall time counts waiting for a core).
  const row = (name: string, values: Measurement[]) =>
    `| ${name} | ${median(values.map((m) => m.ms)).toFixed(0)} ms | ${Math.min(...values.map((m) => m.ms)).toFixed(0)} ms | ${median(values.map((m) => m.cpuMs)).toFixed(0)} ms |`;
  console.log(`median of ${runs} runs (cold: ${cold.length})\n`);
  console.log('| Measure | Wall, median | Wall, min | CPU, median |\n| --- | --- | --- | --- |');
  console.log(row('example without the plugin', bare));
  console.log(row('example, warm plugin cache', warm));
  console.log(row('example, cold plugin cache (esbuild)', cold));
  const wallDelta = median(warm.map((m) => m.ms)) - median(bare.map((m) => m.ms));
  const cpuDelta = median(warm.map((m) => m.cpuMs)) - median(bare.map((m) => m.cpuMs));
  console.log(`\nwarm cache minus no plugin: ${wallDelta.toFixed(0)} ms wall, ${cpuDelta.toFixed(0)} ms CPU (goal: within 50 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
