// End to end: taskgraph-fixtures/fetch (the fetch kind, fetches, a toolchain
// script and an index-search toolchain) through the real CLI, from a git copy
// of it, as a user runs it from their repository.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { prepareCase } from '../parity/prepare-case.js';
import { fixtures, runCli } from './run-cli.js';

type Json = Record<string, any>;

describe('generate on taskgraph-fixtures/fetch', () => {
  const work = prepareCase(join(fixtures, 'fetch'));
  after(() => work.remove());
  const result = runCli(['generate', '--root', 'taskcluster', '--params', join(fixtures, 'params.yml')], { cwd: work.dir });

  test('it generates every task', () => {
    assert.equal(result.status, 0, result.stderr);
    const graph = JSON.parse(result.stdout) as Record<string, Json>;
    assert.deepEqual(Object.keys(graph).sort(), [
      'build-linux64',
      'build-macos',
      'fetch-node',
      'fetch-protocols',
      'fetch-signing-keys',
      'toolchain-linux64-protoc',
      'toolchain-sdk',
    ]);
  });

  test('the build downloads what it lists, through the proxy for the private archive', () => {
    const graph = JSON.parse(result.stdout) as Record<string, Json>;
    const build = graph['build-linux64']!;
    assert.deepEqual(
      Object.keys(build.dependencies).filter((d) => d !== 'docker-image').sort(),
      ['fetch-node', 'fetch-signing-keys', 'toolchain-linux64-protoc', 'toolchain-sdk'],
    );
    const fetches = JSON.parse(build.task.payload.env.MOZ_FETCHES['task-reference']) as Json[];
    assert.deepEqual(
      fetches.map((f) => [f.task, f.artifact]),
      [
        ['<fetch-node>', 'public/node.tar.zst'],
        // The path prefix is the URL's last part as it is, .git included (as in taskgraph).
        ['<fetch-signing-keys>', 'widget/private/signing-keys.git.tar.zst'],
        ['<toolchain-linux64-protoc>', 'public/build/protoc.tar.zst'],
        ['<toolchain-sdk>', 'public/build/sdk.tar.zst'],
      ],
    );
    assert.equal(build.task.payload.env.PROTOC, '{MOZ_FETCHES_DIR}/protoc/bin/protoc');
    assert.ok(build.task.scopes.includes('queue:get-artifact:widget/private/*'));
    assert.deepEqual(
      graph['build-macos']!.task.payload.mounts.map((m: Json) => m.file).filter(Boolean),
      ['./run-task'],
      'run-task does the fetches itself: no fetch-content beside it',
    );
  });

  test('the toolchain is cached under its digest and found by index-search otherwise', () => {
    const graph = JSON.parse(result.stdout) as Record<string, Json>;
    const protoc = graph['toolchain-linux64-protoc']!;
    assert.match(protoc.attributes.cached_task.digest, /^[0-9a-f]{64}$/);
    assert.deepEqual(protoc.dependencies['fetch-protocols'], 'fetch-protocols');
    assert.deepEqual(graph['toolchain-sdk']!.optimization['index-search'][1].split('.').slice(0, 3), ['widget', 'v2', 'widget']);
  });
});
