import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { YamlPath } from '../../../src/transform/diagnostics.js';
import { DockerImageCatalog } from '../../../src/transform/docker/image-catalog.js';
import type { GraphConfig, LoadedGraph, Parameters } from '../../../src/transform/model.js';
import { buildDateLong } from '../../../src/transform/transforms/index-routes.js';
import { parseRelativeTime } from '../../../src/transform/transforms/relative-time.js';
import type { TaskTransformContext } from '../../../src/transform/transforms/task.js';
import { buildTask } from '../../../src/transform/transforms/task.js';
import { splitSymbol, treeherderDefaults } from '../../../src/transform/transforms/treeherder.js';
import { knownAliases, resolveWorkerAlias, type ResolvedWorker, type WorkerLookup } from '../../../src/transform/transforms/worker-alias.js';

const source = { locate: (p: YamlPath) => ({ file: `task.yml#${p.join('.')}`, line: 1, column: 1 }) };
const BUILD_DATE = 1764201600; // 2025-11-27T00:00:00Z

const config: GraphConfig = {
  'trust-domain': 'widget',
  treeherder: { 'group-names': { L: 'Linters' } },
  index: { products: ['widget'] },
  workers: {
    aliases: {
      'b-linux': { provisioner: 'widget-{level}', implementation: 'docker-worker', os: 'linux', 'worker-type': 'b-linux-{level}' },
      't-macos': { provisioner: 'widget-t', implementation: 'generic-worker', os: 'macosx', 'worker-type': 't-macos-14' },
    },
  },
};
const params = (over: Partial<Parameters> = {}): Parameters => ({
  level: '3',
  project: 'widget',
  tasks_for: 'github-push',
  build_date: BUILD_DATE,
  head_repository: 'https://github.com/example/widget',
  head_rev: 'abc123',
  head_ref: 'main',
  base_repository: 'https://github.com/example/widget',
  repository_type: 'git',
  owner: 'me@example.com',
  pushlog_id: '0',
  ...over,
});
function ctx(p: Parameters = params()): TaskTransformContext {
  const graph: LoadedGraph = { root: '/r/taskcluster', config, configSource: source, params: p, kinds: [] };
  return {
    graph,
    kind: 'lint',
    sourceUrl: 'https://github.com/example/widget/blob/abc123/taskcluster/kinds/lint/kind.yml',
    defaults: { priority: 'medium', deadlineAfter: '1 day', expiresAfter: '28 days' },
    payload: { trustDomain: 'widget', level: p.level, runtimeDigest: () => ({ digest: '0'.repeat(20) }), images: new DockerImageCatalog('/nonexistent') },
  };
}
/** The worker of an alias that must resolve. */
function workerOf(lookup: WorkerLookup): ResolvedWorker {
  assert.ok(lookup && 'worker' in lookup, `the alias does not resolve: ${JSON.stringify(lookup)}`);
  return lookup.worker;
}
const worker = workerOf(resolveWorkerAlias(config, 'b-linux', '3'));

test('relative times in taskgraph style', () => {
  assert.equal(parseRelativeTime('1 day'), 86400);
  assert.equal(parseRelativeTime('2 hours'), 7200);
  assert.equal(parseRelativeTime('3 weeks'), 3 * 7 * 86400);
  assert.equal(parseRelativeTime('1 year'), 365 * 86400);
  assert.equal(parseRelativeTime('1 day 2 hours'), 93600);
  assert.equal(parseRelativeTime('30 min'), 1800);
  assert.equal(parseRelativeTime('soon'), undefined);
  assert.equal(parseRelativeTime('3 fortnights'), undefined);
  assert.equal(parseRelativeTime(''), undefined);
});

test('worker aliases substitute {level}; unknown aliases are undefined', () => {
  assert.deepEqual(worker, { alias: 'b-linux', provisionerId: 'widget-3', workerType: 'b-linux-3', implementation: 'docker-worker', os: 'linux', fromAlias: true });
  assert.equal(resolveWorkerAlias(config, 'nope', '3'), undefined);
  assert.equal(resolveWorkerAlias(config, 'toString', '3'), undefined);
  assert.deepEqual(knownAliases(config), ['always-optimized', 'b-linux', 'succeed', 't-macos']);
});

test('treeherder defaults and symbols', () => {
  assert.deepEqual(treeherderDefaults('docker-image'), { symbol: 'DI', kind: 'other', tier: 1, platform: 'default/opt' });
  assert.equal(treeherderDefaults('build-signing').kind, 'build');
  assert.equal(treeherderDefaults('test').kind, 'test');
  assert.deepEqual(splitSymbol('L(flake8)'), ['L', 'flake8']);
  assert.deepEqual(splitSymbol('B'), ['?', 'B']);
  assert.equal(buildDateLong(BUILD_DATE), '2025.11.27.20251127000000');
});

test('a full task definition from a description', () => {
  const out = buildTask(
    {
      label: 'lint-flake8',
      source,
      worker,
      description: {
        label: 'lint-flake8',
        description: 'Python style',
        'worker-type': 'b-linux',
        'expires-after': '1 year',
        scopes: ['secrets:get:project/{project}/level-{level}'],
        routes: ['notify.email.x@example.com.on-failed'],
        tags: { team: 'lint' },
        treeherder: { symbol: 'L(flake8)', kind: 'test', platform: 'lint/opt', tier: 1 },
        index: { product: 'widget', 'job-name': 'flake8' },
        'run-on-tasks-for': ['github-push'],
        attributes: { custom: 'x' },
        dependencies: { build: 'build-linux' },
        worker: { 'docker-image': 'python:3.12', 'max-run-time': 600, command: ['flake8'] },
      },
    },
    ctx(),
  );
  assert.deepEqual(out.diagnostics, []);
  const t = out.task!;
  assert.equal(t.label, 'lint-flake8');
  assert.equal(t.kind, 'lint');
  assert.equal(t.workerImplementation, 'docker-worker');
  assert.deepEqual(t.dependencies, { build: 'build-linux' });
  assert.equal(t.optimization, null);
  assert.deepEqual(t.attributes, {
    custom: 'x',
    kind: 'lint',
    run_on_projects: ['all'],
    run_on_tasks_for: ['github-push'],
    always_target: false,
    shipping_phase: null,
  });
  const d = t.task;
  assert.equal(d.provisionerId, 'widget-3');
  assert.equal(d.workerType, 'b-linux-3');
  assert.equal(d.schedulerId, 'widget-level-3');
  assert.deepEqual(d.taskGroupId, { 'task-reference': '<decision>' });
  assert.equal(d.dependencies, undefined, 'resolve fills task.dependencies');
  assert.equal(d.created, '2025-11-27T00:00:00.000Z');
  assert.equal(d.deadline, '2025-11-28T00:00:00.000Z');
  assert.equal(d.expires, '2026-11-27T00:00:00.000Z');
  assert.equal(d.priority, 'medium');
  assert.equal(d.retries, 5);
  assert.deepEqual(d.scopes, ['secrets:get:project/widget/level-3']);
  assert.deepEqual(d.metadata, {
    name: 'lint-flake8',
    description: 'Python style ([Treeherder push](https://treeherder.mozilla.org/#/jobs?repo=widget&revision=abc123))',
    owner: 'me@example.com',
    source: 'https://github.com/example/widget/blob/abc123/taskcluster/kinds/lint/kind.yml',
  });
  assert.deepEqual(d.tags, {
    team: 'lint',
    createdForUser: 'me@example.com',
    kind: 'lint',
    label: 'lint-flake8',
    os: 'linux',
    'worker-implementation': 'docker-worker',
  });
  assert.deepEqual(d.routes, [
    'notify.email.x@example.com.on-failed',
    'tc-treeherder.v2.widget.abc123.0',
    'index.widget.v2.widget.latest.widget.flake8',
    'index.widget.v2.widget.pushdate.2025.11.27.20251127000000.widget.flake8',
    'index.widget.v2.widget.pushlog-id.0.widget.flake8',
    'index.widget.v2.widget.revision.abc123.widget.flake8',
    'checks',
  ]);
  const extra = d.extra as Record<string, unknown>;
  assert.deepEqual(extra.treeherder, {
    machine: { platform: 'lint' },
    collection: { opt: true },
    groupSymbol: 'L',
    groupName: 'Linters',
    symbol: 'flake8',
    jobKind: 'test',
    tier: 1,
  });
  assert.equal(extra['treeherder-platform'], 'lint/opt');
  assert.deepEqual(extra.index, { rank: BUILD_DATE });
  assert.deepEqual(extra.parent, { 'task-reference': '<decision>' });
  const payload = d.payload as Record<string, unknown>;
  assert.equal(payload.image, 'python:3.12');
  assert.equal((payload.env as Record<string, string>).MOZ_AUTOMATION, '1');
});

test('defaults: priority and times from the context, no treeherder, pull requests, hg, generic-worker', () => {
  const out = buildTask(
    {
      label: 'lint-x',
      source,
      worker: workerOf(resolveWorkerAlias(config, 't-macos', '1')),
      description: { description: 'x', priority: 'high', retries: 2, worker: { command: [['true']], 'max-run-time': 5 } },
    },
    ctx(params({ level: '1', repository_type: 'hg', tasks_for: 'github-pull-request' })),
  );
  assert.deepEqual(out.diagnostics, []);
  const d = out.task!.task;
  assert.equal(d.priority, 'high');
  assert.equal(d.retries, 2);
  assert.equal(d.expires, '2025-12-25T00:00:00.000Z');
  assert.deepEqual(d.routes, []);
  assert.equal(d.schedulerId, 'widget-level-1');
  assert.equal((d.extra as Record<string, unknown>).treeherder, undefined);
  assert.deepEqual((d.extra as Record<string, unknown>).index, { rank: 0 });
  assert.equal(out.task!.workerImplementation, 'generic-worker');
  assert.deepEqual((d.tags as Record<string, string>).os, 'macosx');
});

test('treeherder on a pull request uses the base repository name with -pr; true takes every default', () => {
  const out = buildTask(
    { label: 'lint-y', source, worker, description: { description: 'y', treeherder: true, worker: { 'docker-image': 'x' } } },
    ctx(params({ tasks_for: 'github-pull-request', base_repository: 'https://github.com/org/upstream.git', project: 'fork' })),
  );
  assert.deepEqual(out.diagnostics, []);
  const d = out.task!.task;
  assert.ok((d.routes as string[]).includes('tc-treeherder.v2.upstream-pr.abc123.0'));
  assert.deepEqual((d.extra as Record<string, unknown>).treeherder, {
    machine: { platform: 'default' },
    collection: { opt: true },
    symbol: 'L',
    jobKind: 'other',
    tier: 1,
  });
});

test('errors are located: unknown group, bad relative time, unknown index product, reserved dependency name', () => {
  const out = buildTask(
    {
      label: 'lint-z',
      source,
      worker,
      description: {
        description: 'z',
        'deadline-after': 'tomorrow',
        treeherder: { symbol: 'Q(z)' },
        index: { product: 'gadget', 'job-name': 'z' },
        dependencies: { 'docker-image': 'something-else' },
        worker: { 'docker-image': { 'in-tree': 'ghost' } },
      },
    },
    ctx(),
  );
  assert.equal(out.task, undefined);
  const byPath = new Map(out.diagnostics.map((d) => [d.path!.join('.'), d]));
  assert.match(byPath.get('deadline-after')!.message, /"tomorrow" is not a relative time/);
  assert.match(byPath.get('treeherder.symbol')!.message, /treeherder group "Q" has no name/);
  assert.match(byPath.get('treeherder.symbol')!.hint!, /known groups: L/);
  assert.match(byPath.get('index.product')!.message, /"gadget" is not configured/);
  assert.match(byPath.get('dependencies.docker-image')!.message, /reserved/);
  assert.match(byPath.get('worker.docker-image.in-tree')!.message, /no Dockerfile/);
  assert.equal(byPath.get('deadline-after')!.location?.file, 'task.yml#deadline-after');
});

test('an implementation without a payload builder is a located error listing the supported ones', () => {
  const out = buildTask(
    { label: 'x', source, worker: { ...worker, implementation: 'scriptworker' }, description: { description: 'x', worker: {} } },
    ctx(),
  );
  assert.equal(out.task, undefined);
  assert.deepEqual(out.diagnostics[0]!.path, ['worker-type']);
  assert.match(out.diagnostics[0]!.message, /implementation "scriptworker"/);
  assert.equal(out.diagnostics[0]!.expected, 'one of: docker-worker, generic-worker');
});

test('a too long treeherder symbol and an unknown index type are located errors', () => {
  const out = buildTask(
    {
      label: 'lint-long',
      source,
      worker,
      description: {
        description: 'x',
        treeherder: { symbol: `L(${'x'.repeat(26)})` },
        index: { product: 'widget', 'job-name': 'x', type: 'shippable' },
        worker: { 'docker-image': 'x' },
      },
    },
    ctx(),
  );
  assert.equal(out.task, undefined);
  const byPath = new Map(out.diagnostics.map((d) => [d.path!.join('.'), d]));
  assert.match(byPath.get('treeherder.symbol')!.message, /is too long/);
  assert.equal(byPath.get('treeherder.symbol')!.expected, 'group and symbol of at most 25 characters each');
  assert.match(byPath.get('index.type')!.message, /unknown index type "shippable"/);
});

test('if-dependencies must name dependencies', () => {
  const out = buildTask(
    {
      label: 'lint-if',
      source,
      worker,
      description: { description: 'x', dependencies: { build: 'build-linux' }, 'if-dependencies': ['build', 'tests'], worker: { 'docker-image': 'x' } },
    },
    ctx(),
  );
  assert.equal(out.task, undefined);
  assert.equal(out.diagnostics.length, 1);
  assert.deepEqual(out.diagnostics[0]!.path, ['if-dependencies', 1]);
  assert.match(out.diagnostics[0]!.message, /"tests" in if-dependencies is not a dependency of lint-if/);
  assert.equal(out.diagnostics[0]!.expected, 'one of the dependency names: build');
});
