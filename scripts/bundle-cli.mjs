// The build-time CLI as three bundles in dist/cli/: the command and the entry
// points of its two kinds of worker thread (a share of `generate`, one lint
// configuration). Loaded from build/ as some fifty ES modules, the CLI spent
// about 100 ms of every run resolving and linking them (a `--help` took 140 ms,
// Node.js alone 40 ms); one file each, it starts in about half that, and so
// does every worker thread. Packages stay outside the bundles: ajv and `yaml`
// are loaded only when a problem must be worded or located.
//
// The bundles keep the layout the modules expect beside them: the worker
// entry points next to the command (they are found relative to it) and the
// validators generated at build time (precompiled.ts requires them from its
// own directory).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function bundleCli(root) {
  const outdir = join(root, 'dist', 'cli');
  rmSync(outdir, { recursive: true, force: true }); // no bundle of an entry point that is gone
  mkdirSync(outdir, { recursive: true });
  // dist/ itself is CommonJS for run-task.
  writeFileSync(join(outdir, 'package.json'), '{"type": "module"}\n');
  await build({
    entryPoints: [
      join(root, 'src/cli/tc-payload.ts'),
      join(root, 'src/transform/parallel/shard-worker.ts'),
      join(root, 'src/lint/configuration-worker.ts'),
    ],
    outdir,
    entryNames: '[name]',
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // For stacks that name the source files: node --enable-source-maps dist/cli/tc-payload.js … --debug
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(join(outdir, 'tc-payload.js'), 0o755);
  for (const group of ['input', 'output']) {
    const name = `standalone-${group}.cjs`;
    copyFileSync(join(root, 'build', 'src', 'transform', 'validate', name), join(outdir, name));
  }
}
