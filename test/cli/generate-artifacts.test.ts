// `generate --write-artifacts DIR`: the docker contexts the image tasks
// download, checked with the real tar and gzip.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { writeDockerContexts } from '../../src/cli/write-docker-contexts.js';
import { DiagnosticsError } from '../../src/transform/diagnostics.js';
import { DockerImageCatalog } from '../../src/transform/docker/image-catalog.js';
import { fixtureRoot, fixtures, repoRoot, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-artifacts-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');

/** The fixture tree inside a repository that also holds files for the builder image to include. */
function repositoryWithIncludes(name: string): { repo: string; root: string } {
  const repo = join(scratch, name);
  const root = join(repo, 'taskcluster');
  cpSync(fixtureRoot, root, { recursive: true });
  const builder = join(root, 'docker', 'builder');
  writeFileSync(
    join(builder, 'Dockerfile'),
    `# %ARG RUST_VERSION\n# %include ci/install-rust.sh\n# %include ci/lib\n${readFileSync(join(builder, 'Dockerfile'), 'utf8')}` +
      'RUN /topsrcdir/ci/install-rust.sh $RUST_VERSION\n',
  );
  writeFileSync(join(builder, 'cargo-config.toml'), '[net]\nretry = 5\n');
  mkdirSync(join(repo, 'ci', 'lib', 'sub'), { recursive: true });
  writeFileSync(join(repo, 'ci', 'install-rust.sh'), '#!/bin/sh\necho "rust $1"\n');
  chmodSync(join(repo, 'ci', 'install-rust.sh'), 0o755);
  writeFileSync(join(repo, 'ci', 'lib', 'common.sh'), 'set -e\n');
  writeFileSync(join(repo, 'ci', 'lib', 'sub', 'more.sh'), 'true\n');
  writeFileSync(join(repo, 'ci', 'not-included.sh'), 'false\n');
  return { repo, root };
}

/** Every file below `dir`, relative path → [content, permission bits]. */
function filesBelow(dir: string, prefix = ''): Record<string, [string, number]> {
  const out: Record<string, [string, number]> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, filesBelow(path, rel));
    else out[rel] = [readFileSync(path, 'utf8'), statSync(path).mode & 0o7777];
  }
  return out;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('tc-payload generate --write-artifacts', () => {
  test('writes each image\'s context; tar unpacks the files the Dockerfile names, and the digest is the archive\'s', () => {
    const { repo, root } = repositoryWithIncludes('contexts');
    const out = join(scratch, 'contexts-out');
    const result = runCli(['generate', '--root', root, '--params', params, '--write-artifacts', out]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(join(out, 'docker-contexts')).sort(), ['base.tar.gz', 'builder.tar.gz']);

    const tarball = join(out, 'docker-contexts', 'builder.tar.gz');
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
    assert.equal(tar.status, 0, tar.stderr);
    const dockerfile = readFileSync(join(root, 'docker', 'builder', 'Dockerfile'), 'utf8');
    assert.deepEqual(filesBelow(unpacked), {
      Dockerfile: [dockerfile.replace('# %ARG RUST_VERSION\n', '').replace('$RUST_VERSION\n', '1.83.0\n'), 0o644],
      'cargo-config.toml': ['[net]\nretry = 5\n', 0o644],
      'topsrcdir/ci/install-rust.sh': [readFileSync(join(repo, 'ci', 'install-rust.sh'), 'utf8'), 0o755],
      'topsrcdir/ci/lib/common.sh': ['set -e\n', 0o644],
      'topsrcdir/ci/lib/sub/more.sh': ['true\n', 0o644],
    });

    const graph = JSON.parse(result.stdout) as Record<string, { task: { payload: { env: Record<string, unknown> } } }>;
    for (const image of ['base', 'builder']) {
      const env = graph[`docker-image-${image}`]!.task.payload.env;
      assert.equal(env.CONTEXT_PATH, `public/docker-contexts/${image}.tar.gz`);
      const archive = gunzipSync(readFileSync(join(out, 'docker-contexts', `${image}.tar.gz`)));
      assert.equal(sha256(archive), env.HASH, `${image}: the HASH the task carries is the digest of the archive written`);
    }
  });

  test('writes run-task, which generic-worker tasks mount from the decision task\'s public/run-task, executable and the same bytes as the build', () => {
    const { root } = repositoryWithIncludes('runtime-artifact');
    const out = join(scratch, 'runtime-out');
    const result = runCli(['generate', '--root', root, '--params', params, '--write-artifacts', out]);
    assert.equal(result.status, 0, result.stderr);
    const written = join(out, 'run-task');
    assert.deepEqual(readFileSync(written), readFileSync(join(repoRoot, 'dist', 'run-task')));
    assert.equal(statSync(written).mode & 0o777, 0o755);
    assert.deepEqual(readdirSync(out).sort(), ['docker-contexts', 'run-task'], 'no temporary file left beside it');
    const run = spawnSync(written, ['--user', 'root', '--group', 'root', '--', 'true'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr + run.stdout);
  });

  test('# %include-run-task puts this project\'s runtime in the context at run-task/run-task and run-task/fetch-content (0755) with the COPY lines that install them', () => {
    const { root } = repositoryWithIncludes('include-run-task');
    const base = join(root, 'docker', 'base', 'Dockerfile');
    const original = readFileSync(base, 'utf8');
    writeFileSync(base, original.replace('WORKDIR /builds/worker\n', '# %include-run-task\nWORKDIR /builds/worker\n'));
    const out = join(scratch, 'include-run-task-out');
    const result = runCli(['generate', '--root', root, '--params', params, '--write-artifacts', out]);
    assert.equal(result.status, 0, result.stderr);

    const unpacked = join(scratch, 'include-run-task-unpacked');
    mkdirSync(unpacked);
    const tarball = join(out, 'docker-contexts', 'base.tar.gz');
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
    assert.equal(tar.status, 0, tar.stderr);
    assert.deepEqual(Object.keys(filesBelow(unpacked)).sort(), ['Dockerfile', 'run-task/fetch-content', 'run-task/run-task']);
    for (const program of ['run-task', 'fetch-content']) {
      const runtime = join(unpacked, 'run-task', program);
      assert.ok(readFileSync(runtime).equals(readFileSync(join(repoRoot, 'dist', program))), `the bytes of dist/${program}`);
      assert.equal(statSync(runtime).mode & 0o7777, 0o755);
    }
    // The directive stays, and the lines that install run-task and fetch-content (taskgraph's places) follow it.
    assert.equal(
      readFileSync(join(unpacked, 'Dockerfile'), 'utf8'),
      original.replace(
        'WORKDIR /builds/worker\n',
        '# %include-run-task\nCOPY run-task/run-task /usr/local/bin/run-task\nCOPY run-task/fetch-content /usr/local/bin/fetch-content\nWORKDIR /builds/worker\n',
      ),
    );
    // The runtime is part of the context, so of the image digest.
    const graph = JSON.parse(result.stdout) as Record<string, { task: { payload: { env: Record<string, unknown> } } }>;
    assert.equal(sha256(gunzipSync(readFileSync(tarball))), graph['docker-image-base']!.task.payload.env.HASH);
    const without = runCli(['generate', '--root', repositoryWithIncludes('without-run-task').root, '--params', params]);
    assert.equal(without.status, 0, without.stderr);
    const plain = JSON.parse(without.stdout) as typeof graph;
    assert.notEqual(plain['docker-image-base']!.task.payload.env.HASH, graph['docker-image-base']!.task.payload.env.HASH);
  });

  test('generating twice gives byte-identical tarballs', () => {
    const { root } = repositoryWithIncludes('twice');
    const [first, second] = ['twice-1', 'twice-2'].map((name) => {
      const out = join(scratch, name);
      const result = runCli(['generate', '--root', root, '--params', params, '--summary', '--write-artifacts', out]);
      assert.equal(result.status, 0, result.stderr);
      return join(out, 'docker-contexts');
    });
    for (const file of ['base.tar.gz', 'builder.tar.gz']) {
      assert.ok(readFileSync(join(first!, file)).equals(readFileSync(join(second!, file))), file);
    }
  });

  test('a missing include fails the run at its Dockerfile line, and no tarball is written', () => {
    const { root } = repositoryWithIncludes('missing-include');
    const dockerfile = join(root, 'docker', 'builder', 'Dockerfile');
    writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('# %include ci/lib', '# %include ci/lbi'));
    const out = join(scratch, 'missing-include-out');
    const result = runCli(['generate', '--root', root, '--params', params, '--write-artifacts', out]);
    assert.equal(result.status, 1);
    assert.ok(
      result.stderr.includes(`${dockerfile}:3:12: docker image "builder": # %include ci/lbi: `),
      result.stderr,
    );
    assert.match(result.stderr, /does not exist \(expected a file or directory relative to the repository root /);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false);
  });

  test('a context that changed after its digest was taken is not written, and earlier tarballs stay', async () => {
    const { repo, root } = repositoryWithIncludes('changed');
    const out = join(scratch, 'changed-out');
    mkdirSync(join(out, 'docker-contexts'), { recursive: true });
    writeFileSync(join(out, 'docker-contexts', 'base.tar.gz'), 'previous');
    const images = new DockerImageCatalog(root);
    images.define('base', 'base');
    images.define('builder', 'builder', { RUST_VERSION: '1.83.0' });
    assert.ok('digest' in images.contextOf('base') && 'digest' in images.contextOf('builder'));
    writeFileSync(join(repo, 'ci', 'lib', 'common.sh'), 'set -eu\n');

    await assert.rejects(writeDockerContexts(images, out), (error: unknown) => {
      assert.ok(error instanceof DiagnosticsError);
      assert.equal(error.diagnostics.length, 1);
      assert.match(error.diagnostics[0]!.message, /docker image "builder": its context changed while tc-payload ran/);
      return true;
    });
    assert.deepEqual(readdirSync(join(out, 'docker-contexts')), ['base.tar.gz']);
    assert.equal(readFileSync(join(out, 'docker-contexts', 'base.tar.gz'), 'utf8'), 'previous');
  });

  test('an empty directory name is a usage error', () => {
    const result = runCli(['generate', '--root', fixtureRoot, '--params', params, '--write-artifacts', '']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--write-artifacts needs a directory/);
  });

  test('a directory that cannot be made is an error naming it, at once (not an endless retry)', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory\n');
    for (const [dir, reason] of [
      [file, /a-file\/docker-contexts: ENOTDIR/],
      // /proc answers ENOENT for a directory it will not create: Node's recursive mkdir retried forever.
      ['/proc/tc-payload-no-such-dir', /\/proc\/tc-payload-no-such-dir: ENOENT/],
    ] as const) {
      const result = runCli(['generate', '--root', fixtureRoot, '--params', params, '--write-artifacts', dir], { timeoutMs: 60_000 });
      assert.equal(result.status, 1, `${dir}: ${result.stderr}`);
      assert.match(result.stderr, reason);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
    const nested = join(scratch, 'new', 'artifacts');
    assert.equal(runCli(['generate', '--root', fixtureRoot, '--params', params, '--write-artifacts', nested]).status, 0);
    assert.ok(existsSync(join(nested, 'docker-contexts', 'base.tar.gz')));
  });

  test('an image name that would leave docker-contexts/ is refused with where it was defined', async () => {
    const images = new DockerImageCatalog(fixtureRoot);
    images.define('../escape', 'base', {}, { file: 'kind.yml', line: 9, column: 5 });
    const out = join(scratch, 'escape-out');
    await assert.rejects(writeDockerContexts(images, out), (error: unknown) => {
      assert.ok(error instanceof DiagnosticsError);
      assert.deepEqual(error.diagnostics[0]!.location, { file: 'kind.yml', line: 9, column: 5 });
      assert.match(error.diagnostics[0]!.message, /cannot be written as docker-contexts\/\.\.\/escape\.tar\.gz/);
      return true;
    });
    assert.equal(existsSync(out), false);
  });
});
