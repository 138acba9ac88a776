import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runtimeDigest, sha256Hex } from '../../../src/contract.js';
import type { YamlPath } from '../../../src/transform/diagnostics.js';
import { DockerImageCatalog } from '../../../src/transform/docker/image-catalog.js';
import { buildDockerWorkerPayload, payloadCacheMap } from '../../../src/transform/payload/docker-worker.js';
import type { PayloadContext, PayloadInput } from '../../../src/transform/payload/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'docker-worker-payload-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
mkdirSync(join(tmp, 'docker', 'builder'), { recursive: true });
writeFileSync(
  join(tmp, 'docker', 'builder', 'Dockerfile'),
  'FROM debian\nVOLUME /builds/worker/checkouts\nVOLUME ["/builds/worker/workspace", "/builds/worker/.cache"]\n',
);
const BUNDLE = Buffer.from('the run-task bundle');
const DIGEST = runtimeDigest(BUNDLE);

/** Locations spell the YAML path, so a test can check where an error points. */
const source = { locate: (p: YamlPath) => ({ file: `task.yml#${p.join('.')}`, line: 1, column: 1 }) };

function context(level: string, digest: PayloadContext['runtimeDigest'] = () => ({ digest: DIGEST })): PayloadContext {
  return { trustDomain: 'widget', level, runtimeDigest: digest, images: new DockerImageCatalog(tmp) };
}

function input(worker: Record<string, unknown>): PayloadInput {
  return {
    label: 'build-linux',
    worker,
    source,
    workerType: 'widget-3/b-linux',
    os: 'linux',
    expires: '2026-01-01T00:00:00.000Z',
    buildDate: 1764201600,
    needsSccache: false,
  };
}

const RUN_TASK = ['/usr/local/bin/run-task', '--', 'bash', '-c', 'make'];
const caches = [
  { type: 'persistent', name: 'checkouts', 'mount-point': '/builds/worker/checkouts' },
  { type: 'persistent', name: 'pip', 'mount-point': '/builds/worker/.cache', 'skip-untrusted': true },
];

test('run-task with a registry image: names carry the runtime digest and the image-name hash', () => {
  const out = buildDockerWorkerPayload(
    input({ 'docker-image': 'debian:12', command: RUN_TASK, caches, volumes: ['/builds/worker/checkouts', '/builds/worker/.cache'], 'max-run-time': 600 }),
    context('3'),
  );
  assert.deepEqual(out.diagnostics, []);
  const suffix = `v3-${DIGEST}${sha256Hex('debian:12').slice(0, 12)}`;
  const checkouts = `widget-level-3-checkouts-${suffix}`;
  const pip = `widget-level-3-pip-${suffix}`;
  // As taskgraph writes them: the whole map and every cache scope are task references.
  assert.deepEqual(out.payload.cache, { 'task-reference': { [checkouts]: '/builds/worker/checkouts', [pip]: '/builds/worker/.cache' } });
  assert.deepEqual(out.scopes, [{ 'task-reference': `docker-worker:cache:${checkouts}` }, { 'task-reference': `docker-worker:cache:${pip}` }]);
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, '/builds/worker/.cache;/builds/worker/checkouts');
  assert.equal(env.TASKCLUSTER_VOLUMES, '/builds/worker/.cache;/builds/worker/checkouts');
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, undefined);
  assert.deepEqual(out.payload.onExitStatus, { retry: [72], purgeCaches: [72] });
  assert.equal(out.payload.image, 'debian:12');
  assert.equal(out.payload.maxRunTime, 600);
  assert.deepEqual(out.payload.command, RUN_TASK);
  assert.deepEqual(out.dependencies, {});
  assert.deepEqual(out.warnings, []);
});

test('at level 1, skip-untrusted caches are dropped and caches are marked untrusted', () => {
  const out = buildDockerWorkerPayload(input({ 'docker-image': 'debian:12', command: RUN_TASK, caches, volumes: ['/builds/worker/checkouts'] }), context('1'));
  const name = `widget-level-1-checkouts-v3-${DIGEST}${sha256Hex('debian:12').slice(0, 12)}`;
  assert.deepEqual(out.payload.cache, { 'task-reference': { [name]: '/builds/worker/checkouts' } });
  assert.deepEqual(payloadCacheMap(out.payload), { [name]: '/builds/worker/checkouts' });
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, '/builds/worker/checkouts');
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, '1');
  assert.deepEqual(out.scopes, [{ 'task-reference': `docker-worker:cache:${name}` }]);
});

test('at level 1, a caches list whose every cache is skip-untrusted still writes an empty map, an empty TASKCLUSTER_CACHES and the untrusted marker', () => {
  const out = buildDockerWorkerPayload(input({ 'docker-image': 'debian:12', command: RUN_TASK, caches: caches.slice(1) }), context('1'));
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.payload.cache, { 'task-reference': {} });
  assert.deepEqual(payloadCacheMap(out.payload), {});
  assert.deepEqual(out.scopes, []);
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, '');
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, '1');
  // The same task at level 3 mounts the cache.
  const trusted = buildDockerWorkerPayload(input({ 'docker-image': 'debian:12', command: RUN_TASK, caches: caches.slice(1) }), context('3'));
  assert.deepEqual(Object.values(payloadCacheMap(trusted.payload)), ['/builds/worker/.cache']);
  assert.equal((trusted.payload.env as Record<string, string>).TASKCLUSTER_UNTRUSTED_CACHES, undefined);
});

test('without a caches key there is no payload.cache, no TASKCLUSTER_CACHES and no untrusted marker, even at level 1', () => {
  const out = buildDockerWorkerPayload(input({ 'docker-image': 'debian:12', command: RUN_TASK }), context('1'));
  assert.equal(out.payload.cache, undefined);
  assert.deepEqual(payloadCacheMap(out.payload), {});
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, undefined);
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, undefined);
});

test('in-tree image: task image, docker-image dependency, task-reference scopes, Dockerfile volumes', () => {
  const out = buildDockerWorkerPayload(
    input({ 'docker-image': { 'in-tree': 'builder' }, command: RUN_TASK, caches: caches.slice(0, 1), volumes: ['/builds/worker/tooltool'] }),
    context('3'),
  );
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.payload.image, { path: 'public/image.tar.zst', taskId: { 'task-reference': '<docker-image>' }, type: 'task-image' });
  assert.deepEqual(out.dependencies, { 'docker-image': 'docker-image-builder' });
  const name = `widget-level-3-checkouts-v3-${DIGEST}-<docker-image>`;
  // The key keeps the marker inside the task reference; output resolution substitutes markers in keys.
  assert.deepEqual(out.payload.cache, { 'task-reference': { [name]: '/builds/worker/checkouts' } });
  assert.deepEqual(out.scopes, [{ 'task-reference': `docker-worker:cache:${name}` }]);
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_VOLUMES, '/builds/worker/.cache;/builds/worker/checkouts;/builds/worker/tooltool;/builds/worker/workspace');
});

test('a volume both in the worker and in the Dockerfile is a located error', () => {
  const out = buildDockerWorkerPayload(
    input({ 'docker-image': { 'in-tree': 'builder' }, command: RUN_TASK, volumes: ['/tmp/x', '/builds/worker/workspace'] }),
    context('3'),
  );
  assert.equal(out.diagnostics.length, 1);
  const d = out.diagnostics[0]!;
  assert.deepEqual(d.path, ['worker', 'volumes', 1]);
  assert.equal(d.location?.file, 'task.yml#worker.volumes.1');
  assert.match(d.message, /\/builds\/worker\/workspace is declared both here and by a VOLUME line of .*docker\/builder\/Dockerfile/);
});

test('an in-tree image without a Dockerfile is a located error at the image name', () => {
  const out = buildDockerWorkerPayload(input({ 'docker-image': { 'in-tree': 'ghost' }, command: RUN_TASK }), context('3'));
  assert.equal(out.diagnostics.length, 1);
  assert.deepEqual(out.diagnostics[0]!.path, ['worker', 'docker-image', 'in-tree']);
  assert.match(out.diagnostics[0]!.message, /ghost.*no Dockerfile/);
});

test('without run-task: suffix is the cache version alone, no TASKCLUSTER_CACHES/VOLUMES, no exit 72', () => {
  let asked = false;
  const out = buildDockerWorkerPayload(
    input({ 'docker-image': { 'in-tree': 'builder' }, command: ['bash', '-c', 'true'], caches, 'retry-exit-status': [3] }),
    context('1', () => {
      asked = true;
      return { error: 'should not be needed' };
    }),
  );
  assert.equal(asked, false, 'the runtime digest is read only for run-task caches');
  assert.deepEqual(out.payload.cache, { 'task-reference': { 'widget-level-1-checkouts-v3': '/builds/worker/checkouts' } });
  assert.deepEqual(out.scopes, [{ 'task-reference': 'docker-worker:cache:widget-level-1-checkouts-v3' }]);
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, undefined);
  assert.equal(env.TASKCLUSTER_VOLUMES, undefined);
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, '1');
  assert.deepEqual(out.payload.onExitStatus, { retry: [3] });
});

test('exit status 72 is added once to existing retry and purge lists of run-task commands', () => {
  const out = buildDockerWorkerPayload(
    input({ 'docker-image': 'x', command: ['run-task-hg', 'x'], 'retry-exit-status': [1, 72], 'purge-caches-exit-status': [5] }),
    context('3'),
  );
  assert.deepEqual(out.payload.onExitStatus, { retry: [1, 72], purgeCaches: [5, 72] });
});

test('run-task caches without the runtime bundle: a located error naming the file and npm run build', () => {
  const out = buildDockerWorkerPayload(
    input({ 'docker-image': 'x', command: RUN_TASK, caches }),
    context('3', () => ({ error: 'the run-task bundle /nowhere/run-task does not exist; … `npm run build`' })),
  );
  assert.equal(out.diagnostics.length, 1);
  assert.deepEqual(out.diagnostics[0]!.path, ['worker', 'caches']);
  assert.match(out.diagnostics[0]!.message, /\/nowhere\/run-task.*npm run build/);
});

test('indexed images, artifacts, features and capabilities', () => {
  const out = buildDockerWorkerPayload(
    input({
      'docker-image': { indexed: 'widget.cache.level-3.docker-images.v2.base.latest' },
      artifacts: [
        { type: 'directory', name: 'public/build', path: '/builds/worker/artifacts' },
        { type: 'file', name: 'public/log.txt', path: '/log.txt', 'expires-after': '1 day' },
      ],
      'disable-seccomp': true,
      'taskcluster-proxy': true,
      'chain-of-trust': true,
      'allow-ptrace': true,
      privileged: true,
      'loopback-video': true,
    }),
    context('3'),
  );
  assert.deepEqual(out.payload.image, {
    type: 'indexed-image',
    namespace: 'widget.cache.level-3.docker-images.v2.base.latest',
    path: 'public/image.tar.zst',
  });
  assert.deepEqual(out.payload.artifacts, {
    'public/build': { path: '/builds/worker/artifacts', type: 'directory', expires: '2026-01-01T00:00:00.000Z' },
    'public/log.txt': { path: '/log.txt', type: 'file', expires: '2025-11-28T00:00:00.000Z' },
  });
  assert.deepEqual(out.payload.features, { taskclusterProxy: true, chainOfTrust: true, allowPtrace: true });
  assert.deepEqual(out.payload.capabilities, { devices: { loopbackVideo: true }, privileged: true, disableSeccomp: true });
  // taskgraph's order: features, then capabilities.
  assert.deepEqual(out.scopes, [
    'docker-worker:feature:allowPtrace',
    'docker-worker:capability:device:loopbackVideo',
    'docker-worker:capability:privileged',
    'docker-worker:capability:disableSeccomp',
  ]);
});

test('scopes in taskgraph order: features (allowPtrace, then sccache), capabilities, then caches; sccache turns the proxy on', () => {
  const out = buildDockerWorkerPayload(
    {
      ...input({
        'docker-image': 'debian:12',
        command: RUN_TASK,
        caches: caches.slice(0, 1),
        'disable-seccomp': true,
        privileged: true,
        'loopback-audio': true,
        'loopback-video': true,
        'allow-ptrace': true,
      }),
      needsSccache: true,
    },
    context('3'),
  );
  assert.deepEqual(out.diagnostics, []);
  const name = `widget-level-3-checkouts-v3-${DIGEST}${sha256Hex('debian:12').slice(0, 12)}`;
  assert.deepEqual(out.scopes, [
    'docker-worker:feature:allowPtrace',
    'assume:project:taskcluster:widget:level-3-sccache-buckets',
    'docker-worker:capability:device:loopbackAudio',
    'docker-worker:capability:device:loopbackVideo',
    'docker-worker:capability:privileged',
    'docker-worker:capability:disableSeccomp',
    { 'task-reference': `docker-worker:cache:${name}` },
  ]);
  assert.deepEqual(out.payload.features, { allowPtrace: true, taskclusterProxy: true });
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.USE_SCCACHE, '1');
  assert.equal(env.SCCACHE_DISABLE, undefined);
  // The buckets scope names the level the task runs at.
  const level1 = buildDockerWorkerPayload({ ...input({ 'docker-image': 'debian:12', command: ['true'] }), needsSccache: true }, context('1'));
  assert.deepEqual(level1.scopes, ['assume:project:taskcluster:widget:level-1-sccache-buckets']);
});

test('a run-task cache need not be a volume: the worker mounts it either way', () => {
  const out = buildDockerWorkerPayload(input({ 'docker-image': 'x', command: RUN_TASK, caches: caches.slice(0, 1) }), context('3'));
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.warnings, []);
  const env = out.payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, '/builds/worker/checkouts');
  assert.equal(env.TASKCLUSTER_VOLUMES, undefined);
});

test('run-task with an indexed image: the suffix hashes the namespace', () => {
  const namespace = 'widget.cache.level-3.docker-images.v2.base.latest';
  const out = buildDockerWorkerPayload(input({ 'docker-image': { indexed: namespace }, command: RUN_TASK, caches: caches.slice(0, 1) }), context('3'));
  assert.deepEqual(Object.keys(payloadCacheMap(out.payload)), [`widget-level-3-checkouts-v3-${DIGEST}${sha256Hex(namespace).slice(0, 12)}`]);
  assert.deepEqual(out.dependencies, {});
});
