import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { YamlPath } from '../../../src/transform/diagnostics.js';
import { DockerImageCatalog } from '../../../src/transform/docker/image-catalog.js';
import { buildGenericWorkerPayload } from '../../../src/transform/payload/generic-worker.js';
import { buildAlwaysOptimizedPayload, buildSucceedPayload } from '../../../src/transform/payload/builtin.js';
import { buildDockerWorkerPayload } from '../../../src/transform/payload/docker-worker.js';
import { payloadBuilderFor, supportedImplementations } from '../../../src/transform/payload/registry.js';
import type { PayloadContext, PayloadInput } from '../../../src/transform/payload/types.js';

const source = { locate: (p: YamlPath) => ({ file: `task.yml#${p.join('.')}`, line: 1, column: 1 }) };
const context: PayloadContext = {
  trustDomain: 'widget',
  level: '1',
  runtimeDigest: () => ({ error: 'not needed by generic-worker' }),
  images: new DockerImageCatalog('/nonexistent'),
};
const input = (worker: Record<string, unknown>, os = 'macosx'): PayloadInput => ({
  label: 'test-unit-macos',
  worker,
  source,
  workerType: 'widget-t/t-macos-14',
  os,
  expires: '2026-01-01T00:00:00.000Z',
  buildDate: 1764201600,
  needsSccache: false,
});

test('the registry knows both implementations and the built-in worker types', () => {
  assert.deepEqual(supportedImplementations(), ['always-optimized', 'docker-worker', 'generic-worker', 'succeed']);
  assert.equal(payloadBuilderFor('generic-worker'), buildGenericWorkerPayload);
  assert.equal(payloadBuilderFor('docker-worker'), buildDockerWorkerPayload);
  assert.equal(payloadBuilderFor('succeed'), buildSucceedPayload);
  assert.equal(payloadBuilderFor('always-optimized'), buildAlwaysOptimizedPayload);
  assert.equal(payloadBuilderFor('scriptworker'), undefined);
  assert.equal(payloadBuilderFor('toString'), undefined);
});

test('cache mounts get the protocol names and scopes; content mounts are renamed', () => {
  const out = buildGenericWorkerPayload(
    input({
      command: [['/bin/bash', '-c', 'make test']],
      'max-run-time': 2700,
      mounts: [
        { 'cache-name': 'widget-deps', directory: 'deps' },
        { file: 'fixtures/data.json', content: { url: 'https://example.com/data.json' } },
        { directory: 'toolchain', format: 'tar.gz', content: { artifact: 'private/tc.tar.gz', 'task-id': { 'task-reference': '<tc>' } } },
      ],
      artifacts: [{ type: 'directory', name: 'public/logs', path: 'logs' }, { type: 'file', path: 'out.txt' }],
    }),
    context,
  );
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.payload.mounts, [
    { cacheName: 'widget-level-1-widget-deps', directory: 'deps' },
    { content: { url: 'https://example.com/data.json' }, file: 'fixtures/data.json' },
    { content: { artifact: 'private/tc.tar.gz', taskId: { 'task-reference': '<tc>' } }, directory: 'toolchain', format: 'tar.gz' },
  ]);
  assert.deepEqual(out.scopes, ['generic-worker:cache:widget-level-1-widget-deps', 'queue:get-artifact:private/tc.tar.gz']);
  assert.deepEqual(out.payload.command, [['/bin/bash', '-c', 'make test']]);
  assert.equal(out.payload.maxRunTime, 2700);
  assert.deepEqual(out.payload.artifacts, [{ path: 'logs', type: 'directory', name: 'public/logs' }, { path: 'out.txt', type: 'file' }]);
  assert.equal((out.payload.env as Record<string, string>).SCCACHE_DISABLE, '1');
  // generic-worker tasks do not use run-task's variables.
  assert.equal((out.payload.env as Record<string, string>).TASKCLUSTER_CACHES, undefined);
});

test('a flat command on POSIX is one command; Windows adds the interruption exit codes', () => {
  const posix = buildGenericWorkerPayload(input({ command: ['make', 'test'], 'max-run-time': 1 }, 'linux'), context);
  assert.deepEqual(posix.payload.command, [['make', 'test']]);
  assert.equal(posix.payload.onExitStatus, undefined);
  const windows = buildGenericWorkerPayload(
    input({ command: ['make test'], 'max-run-time': 1, 'retry-exit-status': [4], 'os-groups': ['Administrators'], 'run-as-administrator': true }, 'windows'),
    context,
  );
  assert.deepEqual(windows.payload.command, ['make test']);
  assert.deepEqual(windows.payload.onExitStatus, { retry: [4, 1073807364, 3221225786] });
  assert.deepEqual(windows.payload.osGroups, ['Administrators']);
  assert.deepEqual(windows.payload.features, { runAsAdministrator: true });
  assert.deepEqual(windows.scopes, [
    'generic-worker:os-group:widget-t/t-macos-14/Administrators',
    'generic-worker:run-as-administrator:widget-t/t-macos-14',
  ]);
});

test('a mount with neither cache nor content, or with both file and directory, is a located error', () => {
  const out = buildGenericWorkerPayload(input({ command: [['x']], 'max-run-time': 1, mounts: [{ directory: 'a' }, { 'cache-name': 'c', directory: 'd', file: 'f' }] }), context);
  assert.deepEqual(
    out.diagnostics.map((d) => d.location?.file),
    ['task.yml#worker.mounts.0', 'task.yml#worker.mounts.1'],
  );
  assert.match(out.diagnostics[0]!.message, /cache-name or content/);
  assert.match(out.diagnostics[1]!.message, /exactly one of directory and file/);
});

test('os-groups on POSIX are written as taskgraph writes them, with a warning; on Windows without one', () => {
  const posix = buildGenericWorkerPayload(input({ command: [['id']], 'max-run-time': 1, 'os-groups': ['docker', 'video'] }, 'linux'), context);
  assert.deepEqual(posix.diagnostics, []);
  assert.deepEqual(posix.payload.osGroups, ['docker', 'video']);
  assert.deepEqual(posix.scopes, ['generic-worker:os-group:widget-t/t-macos-14/docker', 'generic-worker:os-group:widget-t/t-macos-14/video']);
  assert.equal(posix.warnings.length, 1);
  assert.match(posix.warnings[0]!, /worker\.os-groups \(docker, video\) on linux: generic-worker implements OS groups only on Windows/);
  const windows = buildGenericWorkerPayload(input({ command: ['id'], 'max-run-time': 1, 'os-groups': ['docker'] }, 'windows'), context);
  assert.deepEqual(windows.warnings, []);
  assert.deepEqual(windows.payload.osGroups, ['docker']);
});

test('run-task-as-current-user needs its scope; hide-cmd-window is a feature alone', () => {
  const out = buildGenericWorkerPayload(
    input({ command: ['id'], 'max-run-time': 1, 'run-task-as-current-user': true, 'hide-cmd-window': true, 'chain-of-trust': true }, 'windows'),
    context,
  );
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.payload.features, { chainOfTrust: true, runTaskAsCurrentUser: true, hideCmdWindow: true });
  assert.deepEqual(out.scopes, ['generic-worker:run-task-as-current-user:widget-t/t-macos-14']);
});
