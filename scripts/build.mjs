// Four outputs: the build-time half compiled by tsc into build/ (what the
// tests import), the same bundled by esbuild into dist/cli/ (what the
// `tc-payload` command runs, see bundle-cli.mjs), the runtime bundled into
// the single file dist/run-task, and its fetch-content into dist/fetch-content.
// Both are CommonJS so that they run from any directory (an image COPYs them
// alone to /usr/local/bin); dist/package.json
// keeps it CommonJS inside this package too, whose own code is ESM.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';
import { embedFetches } from './embed-fetches.mjs';
import { precompileValidators } from './precompile-validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

// tsc never deletes what it compiled earlier: a test whose source was moved or
// removed would go on running from build/test/ (npm test runs the whole folder).
rmSync(join(root, 'build'), { recursive: true, force: true });

const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'package.json'), '{"type": "commonjs"}\n');
const outfile = join(dist, 'run-task');
// Both runtime programs: one executable CommonJS file each, run by the image's node.
const runtimeProgram = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', banner: { js: '#!/usr/bin/env node' }, legalComments: 'none', logLevel: 'warning' };
await build({ ...runtimeProgram, entryPoints: [join(root, 'src/runtime/main.ts')], outfile, plugins: [embedFetches(root)] });
chmodSync(outfile, 0o755);

// fetch-content is all fetch code: bundled plainly, it has nothing to start faster without.
const fetchContent = join(dist, 'fetch-content');
await build({ ...runtimeProgram, entryPoints: [join(root, 'src/runtime/fetch-content/main.ts')], outfile: fetchContent });
chmodSync(fetchContent, 0o755);

precompileValidators(root);

// After the bundle, so that a type error elsewhere does not leave run-task unbuilt
// (the build still fails).
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

// The plugin API (import { … } from 'tc-payload'): one module that imports
// nothing, with its declarations; plugins compiled on load bundle it too.
const api = join(dist, 'api');
rmSync(api, { recursive: true, force: true });
execFileSync(process.execPath, [
  tsc, join(root, 'src/plugins/api.ts'), '--outDir', api, '--declaration', '--module', 'nodenext',
  '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node',
], { stdio: 'inherit' });
writeFileSync(join(api, 'package.json'), '{"type": "module"}\n');

// After the validators, which the bundles need beside them.
await bundleCli(root);

