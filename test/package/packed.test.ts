// The package as a user gets it: `npm pack`, the tarball installed into an
// empty project, both bins run from there. The project is not on the registry,
// and tests do not use the network: the dependencies are packed from this
// checkout's node_modules and installed beside the tarball with --offline, so
// that npm resolves every one of them locally (what matters here is what the
// tarball holds, not where ajv comes from).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../runtime/helpers.js';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    // A private cache: nothing of the user's (or another test's) npm cache is used or changed.
    env: { ...process.env, npm_config_cache: join(cwd, '..', 'npm-cache'), npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });

let work: string;
let project: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'tc-payload-packed-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  // npm test has just built dist/; packing must not build again (prepack).
  npm(['pack', '--ignore-scripts', '--pack-destination', tarballs], repoRoot);
  const dependencies = npm(['ls', '--omit=dev', '--all', '--parseable'], repoRoot).trim().split('\n').slice(1);
  npm(['pack', '--ignore-scripts', '--pack-destination', tarballs, ...dependencies], repoRoot);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{"name": "consumer", "version": "1.0.0", "private": true}\n');
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  npm(['install', '--offline', '--ignore-scripts', ...files], project);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the installed run-task runs a command', () => {
  const output = execFileSync(join(project, 'node_modules', '.bin', 'run-task'), ['--user', 'root', '--group', 'root', '--', 'echo', 'installed'], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  assert.match(output, /^\[task [^\]]+\] installed$/m);
});

test('the installed fetch-content downloads and verifies a file', async () => {
  const body = Buffer.from('installed fetch-content\n');
  const server = createServer((_request, response) => response.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notes.txt`;
    const digest = createHash('sha256').update(body).digest('hex');
    const dest = join(work, 'fetched', 'notes.txt');
    await promisify(execFile)(join(project, 'node_modules', '.bin', 'fetch-content'), ['static-url', '--sha256', digest, '--size', String(body.length), url, dest], {
      cwd: project,
      env: { PATH: process.env.PATH },
    });
    assert.ok(readFileSync(dest).equals(body));
  } finally {
    server.close();
  }
});

test('the installed tc-payload generates what the checkout generates', () => {
  const args = ['generate', '--root', join(repoRoot, 'taskgraph-fixtures', 'taskcluster'), '--params', join(repoRoot, 'taskgraph-fixtures', 'params.yml')];
  const options = { cwd: project, encoding: 'utf8' as const, maxBuffer: 64 * 1024 * 1024 };
  const installed = JSON.parse(execFileSync(join(project, 'node_modules', '.bin', 'tc-payload'), args, options));
  const checkout = JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli', 'tc-payload.js'), ...args], options));
  assert.ok(Object.keys(installed).length >= 10, JSON.stringify(installed).slice(0, 200));
  assert.deepEqual(installed, checkout);
});

test('the installed tc-payload reports bad input as a user error, not a crash', () => {
  let status = 0;
  let stderr = '';
  try {
    execFileSync(join(project, 'node_modules', '.bin', 'tc-payload'), ['lint', '--root', join(project, 'absent')], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    status = (error as { status: number }).status;
    stderr = (error as { stderr: string }).stderr;
  }
  assert.equal(status, 1, stderr);
  assert.doesNotMatch(stderr, /\n\s+at /);
});
