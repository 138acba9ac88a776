// Two outputs: the build-time half compiled by tsc into build/, and the runtime
// bundled by esbuild into the single file dist/run-task. The bundle is CommonJS
// so that it runs from any directory (an image COPYs it alone to
// /usr/local/bin); dist/package.json keeps it CommonJS inside this package too,
// whose own code is ESM.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompileValidators } from './precompile-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'package.json'), '{"type": "commonjs"}\n');
const outfile = join(dist, 'run-task');
await build({
  entryPoints: [join(root, 'src/runtime/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);

precompileValidators(root);

// After the bundle, so that a type error elsewhere does not leave run-task unbuilt
// (the build still fails).
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

