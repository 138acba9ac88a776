import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Diagnostic, YamlPath } from '../../../src/transform/diagnostics.js';
import { DockerImageCatalog } from '../../../src/transform/docker/image-catalog.js';
import type { LoadedGraph, LoadedKind } from '../../../src/transform/model.js';
import { cachedTasksTransform } from '../../../src/transform/transforms/cached-tasks.js';
import { IMAGE_BUILDER_IMAGE, dockerImageTransform } from '../../../src/transform/transforms/docker-image.js';
import { lookupTransform, normalizeTransformName, supportedTransforms, unsupportedReason } from '../../../src/transform/transforms/registry.js';
import type { TransformContext, TransformItem } from '../../../src/transform/transforms/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'docker-image-transform-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
mkdirSync(join(tmp, 'docker', 'base'), { recursive: true });
writeFileSync(join(tmp, 'docker', 'base', 'Dockerfile'), 'FROM debian\n');
mkdirSync(join(tmp, 'docker', 'shared'), { recursive: true });
writeFileSync(join(tmp, 'docker', 'shared', 'Dockerfile'), 'ARG DOCKER_IMAGE_PARENT\nFROM $DOCKER_IMAGE_PARENT\n');

const source = (entry: string) => ({ locate: (p: YamlPath) => ({ file: `kind.yml#${entry}.${p.join('.')}`, line: 1, column: 1 }) });
const item = (name: string, value: Record<string, unknown>): TransformItem => ({ kind: 'docker-image', name, value, source: source(name) });

function context(level = '3', over: { tasks_for?: string; config?: Record<string, unknown> } = {}): TransformContext {
  const graph = {
    root: tmp,
    config: { 'trust-domain': 'widget', workers: { aliases: {} }, ...over.config },
    configSource: source('config'),
    params: {
      level,
      project: 'widget',
      tasks_for: over.tasks_for ?? 'github-push',
      build_date: 1764201600,
      head_repository: 'https://github.com/e/w',
      head_rev: 'abc',
      head_ref: 'main',
      base_repository: 'https://github.com/e/w',
      repository_type: 'git',
      owner: 'me',
    },
    kinds: [],
  } as LoadedGraph;
  return { graph, kind: {} as LoadedKind, images: new DockerImageCatalog(tmp), cachedDigests: new Map(), kindDependencyTasks: () => [], diagnostics: [] as Diagnostic[] };
}

test('the registry: names with or without :transforms; the old job module is refused with its new name', () => {
  assert.equal(normalizeTransformName('taskgraph.transforms.task:transforms'), 'taskgraph.transforms.task');
  assert.deepEqual(lookupTransform('taskgraph.transforms.task:transforms'), { kind: 'task' });
  assert.equal(lookupTransform('taskgraph.transforms.docker_image')?.kind, 'items');
  assert.equal(lookupTransform('taskgraph.transforms.run:transforms')?.kind, 'items');
  assert.equal(lookupTransform('taskgraph.transforms.job:transforms'), undefined);
  assert.match(unsupportedReason('taskgraph.transforms.job:transforms')!, /taskgraph\.transforms\.run/);
  assert.equal(lookupTransform('taskgraph.transforms.frobnicate'), undefined);
  assert.equal(unsupportedReason('taskgraph.transforms.frobnicate'), undefined);
  // Sorted, and holding at least these (the list grows as transforms are added).
  const supported = supportedTransforms();
  assert.deepEqual(supported, [...supported].sort());
  for (const name of ['cached_tasks', 'docker_image', 'fetch', 'run', 'task']) assert.ok(supported.includes(`taskgraph.transforms.${name}`), name);
});

test('one image task per entry, children after parents, digests chained through the parent', () => {
  const ctx = context('1');
  // The child is listed first: cached_tasks must still digest the parent first.
  const images = dockerImageTransform(
    [item('child', { parent: 'base', definition: 'shared', symbol: 'I(child)', args: { B: '2', A: '1' } }), item('base', {})],
    ctx,
  );
  assert.deepEqual(ctx.diagnostics, []);
  const out = cachedTasksTransform(images, ctx);
  assert.deepEqual(ctx.diagnostics, []);
  assert.deepEqual(out.map((i) => i.value.label), ['docker-image-base', 'docker-image-child']);
  const [base, child] = out.map((i) => i.value) as Record<string, any>[];
  assert.equal(out.some((i) => i.cache !== undefined), false, 'cached_tasks consumes the cache request');

  const baseContext = (ctx.images.contextOf('base') as { digest: string }).digest;
  const expectedBase = createHash('sha256')
    .update([baseContext, '{}', `image-builder-image:${IMAGE_BUILDER_IMAGE}`, 'True'].join('\n'))
    .digest('hex');
  assert.deepEqual(base!.attributes, {
    image_name: 'base',
    artifact_prefix: 'public',
    cached_task: { type: 'docker-images.v2', name: 'base', digest: expectedBase },
  });
  const childContext = (ctx.images.contextOf('child') as { digest: string }).digest;
  const expectedChild = createHash('sha256')
    .update(
      [childContext, '{"A":"1","B":"2"}', `image-builder-image:${IMAGE_BUILDER_IMAGE}`, `docker-images.v2/base/${expectedBase}`, 'True'].join('\n'),
    )
    .digest('hex');
  assert.equal(child!.attributes.cached_task.digest, expectedChild);
  assert.deepEqual(child!.dependencies, { parent: 'docker-image-base' });
  assert.deepEqual(child!.treeherder, { symbol: 'I(child)', platform: 'taskcluster-images/opt', kind: 'other', tier: 1 });
  assert.equal(base!.treeherder, undefined);
  assert.equal(child!.worker.env.IMAGE_NAME, 'child');
  assert.equal(child!.worker.env.HASH, childContext);
  assert.equal(child!.worker.env.DOCKER_IMAGE_ZSTD_LEVEL, '3');
  assert.deepEqual(child!.worker.env.PARENT_TASK_ID, { 'task-reference': '<parent>' });
  assert.deepEqual(child!.worker.env.DOCKER_BUILD_ARGS, { 'task-reference': '{"B":"2","A":"1","DOCKER_IMAGE_PACKAGES":""}' });
  assert.equal(child!.worker['docker-image'], IMAGE_BUILDER_IMAGE);
  // image_builder 6.2.0 writes the image under /workspace/out.
  assert.equal(IMAGE_BUILDER_IMAGE, 'mozillareleases/image_builder:6.2.0@sha256:f7df722770d6caadea79b2de458e072d8b3d93e59675b34dffb32c3e7e30f5b9');
  assert.deepEqual(child!.worker.artifacts, [{ type: 'file', path: '/workspace/out/image.tar.zst', name: 'public/image.tar.zst' }]);
  // The implementation is named in the task, so the task transform adds no os/implementation tags.
  assert.equal(child!.worker.implementation, 'docker-worker');
  assert.equal(child!.worker.os, 'linux');
  assert.equal(child!['worker-type'], 'images');
  assert.equal(child!['expires-after'], '28 days');
  assert.deepEqual(base!.optimization, {
    'index-search': [3, 2, 1].map((l) => `widget.cache.level-${l}.docker-images.v2.base.hash.${expectedBase}`),
  });
  assert.deepEqual(base!.routes, [
    `index.widget.cache.level-1.docker-images.v2.base.hash.${expectedBase}`,
    'index.widget.cache.level-1.docker-images.v2.base.latest',
    'index.widget.cache.level-1.docker-images.v2.base.pushdate.2025.11.27.20251127000000',
  ]);
  // The volumes of `child` are looked up in its definition directory.
  assert.deepEqual(ctx.images.volumesOf('child'), { volumes: [], dockerfile: join(tmp, 'docker', 'shared', 'Dockerfile') });
});

test('entry errors are located: unknown keys, a missing Dockerfile, an unknown parent', () => {
  const ctx = context();
  const images = dockerImageTransform(
    [
      item('typo', { symbl: 'I(x)' }),
      item('ghost', { symbol: 'I(g)' }),
      item('elsewhere', { definition: 'nowhere' }),
      item('orphan', { parent: 'missing', definition: 'base' }),
    ],
    ctx,
  );
  const out = cachedTasksTransform(images, ctx);
  assert.deepEqual(out, []);
  const files = ctx.diagnostics.map((d) => d.location?.file);
  assert.ok(files.includes('kind.yml#typo.symbl'), JSON.stringify(ctx.diagnostics));
  const ghost = ctx.diagnostics.find((d) => d.location?.file === 'kind.yml#ghost.')!;
  assert.match(ghost.message, /docker image "ghost" has no Dockerfile: .*docker\/ghost\/Dockerfile does not exist/);
  const elsewhere = ctx.diagnostics.find((d) => d.location?.file === 'kind.yml#elsewhere.definition')!;
  assert.match(elsewhere.message, /docker\/nowhere\/Dockerfile does not exist/);
  const orphan = ctx.diagnostics.find((d) => d.location?.file === 'kind.yml#orphan.parent')!;
  assert.match(orphan.message, /depends on docker-image-missing, which is not a cached task/);
});

test('cache: false leaves the image uncached; level 3 images live a year and compress harder', () => {
  const ctx = context('3');
  const out = cachedTasksTransform(dockerImageTransform([item('base', { cache: false })], ctx), ctx);
  assert.deepEqual(ctx.diagnostics, []);
  const value = out[0]!.value as Record<string, any>;
  assert.equal(value.optimization, undefined);
  assert.equal(value.attributes.cached_task, undefined);
  assert.equal(value['expires-after'], '1 year');
  assert.equal(value.worker.env.DOCKER_IMAGE_ZSTD_LEVEL, '10');
});

test('pull requests search the pr namespace last and index only there; with cache-pull-requests: false they index nowhere', () => {
  const ctx = context('1', { tasks_for: 'github-pull-request' });
  const [base] = cachedTasksTransform(dockerImageTransform([item('base', {})], ctx), ctx).map((i) => i.value) as Record<string, any>[];
  assert.deepEqual(ctx.diagnostics, []);
  const digest = base!.attributes.cached_task.digest as string;
  assert.deepEqual(base!.optimization, {
    'index-search': [
      ...[3, 2, 1].map((l) => `widget.cache.level-${l}.docker-images.v2.base.hash.${digest}`),
      `widget.cache.pr.docker-images.v2.base.hash.${digest}`,
    ],
  });
  // Nothing a pull request built is indexed where a push would find it.
  assert.deepEqual(base!.routes, [`index.widget.cache.pr.docker-images.v2.base.hash.${digest}`]);
  // The digest does not depend on the kind of push.
  const push = context('1');
  const [pushed] = cachedTasksTransform(dockerImageTransform([item('base', {})], push), push).map((i) => i.value) as Record<string, any>[];
  assert.equal(pushed!.attributes.cached_task.digest, digest);

  const off = context('1', { tasks_for: 'github-pull-request-untrusted', config: { taskgraph: { 'cache-pull-requests': false } } });
  const [uncached] = cachedTasksTransform(dockerImageTransform([item('base', {})], off), off).map((i) => i.value) as Record<string, any>[];
  assert.deepEqual(off.diagnostics, []);
  assert.deepEqual(uncached!.optimization, {
    'index-search': [3, 2, 1].map((l) => `widget.cache.level-${l}.docker-images.v2.base.hash.${digest}`),
  });
  assert.deepEqual(uncached!.routes ?? [], []);
});
