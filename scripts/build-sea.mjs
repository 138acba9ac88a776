// `npm run build:sea`: dist/run-task as a self-contained executable, for images
// without Node.js: this Node.js binary with dist/run-task injected as a
// single executable application (Node.js 20's SEA). Linux x64 only: the
// executable is the running node (so its platform and architecture), and the
// blob is injected into an ELF section, which is what postject does on Linux
// (macOS and Windows need a signing step and other flags, untried here).
//
// Not part of `npm run build`: the result is about 100 MB, a copy of node.
//
// Usage: node scripts/build-sea.mjs [OUTPUT]   (default dist/run-task-linux-x64)
// dist/run-task must exist (npm run build).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The fuse that Node.js 20 looks for in its own binary to find an injected blob.
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function buildSea(output = join(root, 'dist', 'run-task-linux-x64')) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`build-sea: only Linux x64 is supported, this is ${process.platform} ${process.arch}`);
  }
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 20) throw new Error(`build-sea: needs Node.js 20 or later (single executable applications), this is ${process.version}`);
  const bundle = join(root, 'dist', 'run-task');
  if (!existsSync(bundle)) throw new Error(`build-sea: ${bundle} is missing; run \`npm run build\` first`);
  const require = createRequire(import.meta.url);
  let postject;
  try {
    postject = require.resolve('postject/dist/cli.js');
  } catch {
    throw new Error('build-sea: the postject package is missing; run `npm ci` (it is a devDependency)');
  }

  const work = mkdtempSync(join(tmpdir(), 'run-task-sea-'));
  try {
    const blob = join(work, 'run-task.blob');
    const config = join(work, 'sea-config.json');
    // The warning would be printed on every task's stderr.
    writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }));
    quiet(process.execPath, ['--experimental-sea-config', config]);

    // Written beside the output and renamed over it, so that a failure leaves
    // no half-written executable under the final name.
    const out = resolve(output);
    const partial = `${out}.partial`;
    copyFileSync(process.execPath, partial);
    chmodSync(partial, 0o755);
    try {
      quiet(process.execPath, [postject, partial, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE]);
      execFileSync('mv', ['-f', partial, out]);
    } finally {
      rmSync(partial, { force: true });
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Both tools chatter on success (postject warns about ELF notes it does not
// name); their output is shown only when they fail.
function quiet(command, args) {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (error) {
    const said = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`build-sea: ${[command, ...args].join(' ')} failed (${error.message.split('\n')[0]})${said ? `:\n${said}` : ''}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(`wrote ${buildSea(process.argv[2])}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
