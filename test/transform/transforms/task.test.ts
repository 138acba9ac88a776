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
  // Names of Object.prototype are neither aliases nor built-in worker types.
  assert.equal(resolveWorkerAlias(config, 'toString', '3'), undefined);
  assert.equal(resolveWorkerAlias(config, '__proto__', '3'), undefined);
  assert.deepEqual(knownAliases(config), ['always-optimized', 'b-linux', 'succeed', 't-macos']);
});

test('worker aliases as taskgraph resolves them: regular-expression keys, by-level, {alias}, {level} and {trust-domain}', () => {
  const aliases = (entries: Record<string, unknown>): GraphConfig => ({ 'trust-domain': 'widget', workers: { aliases: entries } as GraphConfig['workers'] });
  const regex = aliases({
    'b-linux-(small|large)': { provisioner: '{trust-domain}-{level}', implementation: 'docker-worker', os: 'linux', 'worker-type': '{alias}-gcp' },
    'b-linux-small': { provisioner: 'exact', implementation: 'docker-worker', os: 'linux', 'worker-type': 'exact-{level}' },
  });
  // A key that is a regular expression matches the whole worker-type; {alias} is the worker-type the task names.
  assert.deepEqual(workerOf(resolveWorkerAlias(regex, 'b-linux-large', '1')), {
    alias: 'b-linux-large',
    provisionerId: 'widget-1',
    workerType: 'b-linux-large-gcp',
    implementation: 'docker-worker',
    os: 'linux',
    fromAlias: true,
  });
  // An exact key wins over a regular expression that also matches.
  assert.deepEqual(workerOf(resolveWorkerAlias(regex, 'b-linux-small', '3')).workerType, 'exact-3');
  // Only whole matches count.
  assert.equal(resolveWorkerAlias(regex, 'b-linux-large-2', '3'), undefined);
  assert.equal(resolveWorkerAlias(regex, 'x-b-linux-large', '3'), undefined);

  const byLevel = aliases({
    images: {
      provisioner: { 'by-level': { '3': '{trust-domain}-3', default: '{trust-domain}-1' } },
      implementation: 'docker-worker',
      os: 'linux',
      'worker-type': { 'by-level': { '3': 'images-gcp', default: '{alias}-{level}' } },
    },
  });
  assert.deepEqual(
    [1, 2, 3].map((level) => workerOf(resolveWorkerAlias(byLevel, 'images', String(level)))).map((w) => [w.provisionerId, w.workerType]),
    [
      ['widget-1', 'images-1'],
      ['widget-1', 'images-2'],
      ['widget-3', 'images-gcp'],
    ],
  );
  // An alias named `default` takes every worker-type no other key matches, as in taskgraph.
  const withDefault = aliases({ 'b-.*': { provisioner: 'b', implementation: 'docker-worker', os: 'linux', 'worker-type': '{alias}' }, default: { provisioner: 'any', implementation: 'generic-worker', os: 'linux', 'worker-type': '{alias}-w' } });
  assert.deepEqual([workerOf(resolveWorkerAlias(withDefault, 'b-x', '3')).provisionerId, workerOf(resolveWorkerAlias(withDefault, 'other', '3')).workerType], ['b', 'other-w']);
  // Braces doubled are literal braces, as in Python's str.format.
  const braces = aliases({ t: { provisioner: 'p{{x}}', implementation: 'generic-worker', os: 'macosx', 'worker-type': 't' } });
  assert.equal(workerOf(resolveWorkerAlias(braces, 't', '3')).provisionerId, 'p{x}');
});

test('a worker alias that cannot be resolved is an error naming the alias and what was expected', () => {
  const aliases = (entries: Record<string, unknown>): GraphConfig => ({ 'trust-domain': 'widget', workers: { aliases: entries } as GraphConfig['workers'] });
  const errorOf = (c: GraphConfig, name: string, level = '3') => {
    const lookup = resolveWorkerAlias(c, name, level);
    assert.ok(lookup && 'error' in lookup, JSON.stringify(lookup));
    return lookup;
  };
  const base = { implementation: 'docker-worker', os: 'linux' };
  const unknownName = errorOf(aliases({ a: { ...base, provisioner: '{project}-{level}', 'worker-type': 'a' } }), 'a');
  assert.equal(unknownName.error, 'provisioner of worker alias "a": no value named "project" for "{project}" in "{project}-{level}"');
  assert.equal(unknownName.expected, 'only {alias}, {level} and {trust-domain}');
  const byProject = errorOf(aliases({ a: { ...base, provisioner: 'p', 'worker-type': { 'by-project': { widget: 'a' } } } }), 'a');
  assert.equal(byProject.error, 'worker-type of worker alias "a" is keyed by "project"');
  assert.equal(byProject.expected, 'a string, or by-level');
  const noLevel = errorOf(aliases({ a: { ...base, provisioner: { 'by-level': { '3': 'p' } }, 'worker-type': 'a' } }), 'a', '1');
  assert.equal(noLevel.error, 'provisioner of worker alias "a" has no value for level 1');
  assert.equal(noLevel.expected, 'a key for "1" or a default');
  const several = errorOf(
    aliases({ 'b-.*': { ...base, provisioner: 'p', 'worker-type': 'x' }, '.*-linux': { ...base, provisioner: 'p', 'worker-type': 'y' } }),
    'b-linux',
  );
  assert.equal(several.error, 'worker-type "b-linux" matches several worker aliases: "b-.*", ".*-linux"');
});

test('the built-in worker types succeed and always-optimized need no alias, and config.yml cannot shadow them', () => {
  const shadowing: GraphConfig = {
    'trust-domain': 'widget',
    workers: { aliases: { succeed: { provisioner: 'mine', implementation: 'docker-worker', os: 'linux', 'worker-type': 'mine' } } } as GraphConfig['workers'],
  };
  for (const c of [config, shadowing]) {
    assert.deepEqual(workerOf(resolveWorkerAlias(c, 'succeed', '3')), {
      alias: 'succeed',
      provisionerId: 'built-in',
      workerType: 'succeed',
      implementation: 'succeed',
      fromAlias: false,
    });
    assert.deepEqual(workerOf(resolveWorkerAlias(c, 'always-optimized', '1')), {
      alias: 'always-optimized',
      provisionerId: 'invalid',
      workerType: 'always-optimized',
      implementation: 'always-optimized',
      fromAlias: false,
    });
  }
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
  assert.equal('retries' in d, false, 'written only when the description sets it');
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
    project: 'widget',
    'trust-domain': 'widget',
  });
  assert.equal(t.description, 'Python style');
  assert.deepEqual(t.softDependencies, []);
  assert.deepEqual(t.ifDependencies, []);
  assert.equal(t.workerOs, 'linux');
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
  assert.equal(out.diagnostics[0]!.expected, 'one of: always-optimized, docker-worker, generic-worker, succeed');
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

test('a description that names its implementation gets no os/worker-implementation tags, as in taskgraph', () => {
  const out = buildTask(
    {
      label: 'lint-named',
      source,
      worker,
      description: { description: 'x', tags: { team: 'lint' }, worker: { implementation: 'docker-worker', os: 'linux', 'docker-image': 'x', 'max-run-time': 5 } },
    },
    ctx(),
  );
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.task!.task.tags, { team: 'lint', createdForUser: 'me@example.com', kind: 'lint', label: 'lint-named', project: 'widget', 'trust-domain': 'widget' });
});

test('soft-dependencies and if-dependencies are carried as labels', () => {
  const out = buildTask(
    {
      label: 'lint-after',
      source,
      worker,
      description: {
        description: 'x',
        dependencies: { build: 'build-linux', docs: 'docs-html' },
        'if-dependencies': ['docs'],
        'soft-dependencies': ['lint-flake8'],
        worker: { 'docker-image': 'x' },
      },
    },
    ctx(),
  );
  assert.deepEqual(out.diagnostics, []);
  assert.deepEqual(out.task!.ifDependencies, ['docs-html']);
  assert.deepEqual(out.task!.softDependencies, ['lint-flake8']);
  assert.deepEqual(out.task!.dependencies, { build: 'build-linux', docs: 'docs-html' });
});

test('the built-in worker types: an empty payload and no MOZ_AUTOMATION; succeed refuses worker settings, always-optimized ignores them', () => {
  const builtin = (name: string, workerSection: Record<string, unknown>) =>
    buildTask(
      { label: `done-${name}`, source, worker: workerOf(resolveWorkerAlias(config, name, '3')), description: { description: 'x', 'worker-type': name, worker: workerSection } },
      ctx(),
    );
  const done = builtin('succeed', {});
  assert.deepEqual(done.diagnostics, []);
  assert.deepEqual(done.task!.task.payload, {});
  assert.equal(done.task!.task.provisionerId, 'built-in');
  assert.equal(done.task!.task.workerType, 'succeed');
  assert.equal(done.task!.workerImplementation, 'succeed');
  // As taskgraph tags it: the implementation looked up for the worker-type, and no os (a built-in type has none).
  assert.equal((done.task!.task.tags as Record<string, string>)['worker-implementation'], 'succeed');
  assert.equal('os' in (done.task!.task.tags as Record<string, string>), false);
  assert.equal(done.task!.workerOs, undefined);
  const named = builtin('succeed', { implementation: 'succeed' });
  assert.deepEqual(named.diagnostics, []);
  assert.equal('worker-implementation' in (named.task!.task.tags as Record<string, string>), false);

  const refused = builtin('succeed', { implementation: 'succeed', 'docker-image': 'x', 'max-run-time': 5 });
  assert.equal(refused.task, undefined);
  assert.deepEqual(refused.diagnostics.map((d) => d.path), [['worker', 'docker-image'], ['worker', 'max-run-time']]);
  assert.equal(refused.diagnostics[0]!.location?.file, 'task.yml#worker.docker-image');
  assert.match(refused.diagnostics[0]!.message, /the built-in worker type "succeed" takes no worker settings, but this task sets "docker-image"/);
  assert.equal(refused.diagnostics[0]!.expected, 'no worker section, or only implementation: succeed');

  const optimized = builtin('always-optimized', { 'docker-image': 'x', 'max-run-time': 5 });
  assert.deepEqual(optimized.diagnostics, []);
  assert.deepEqual(optimized.task!.task.payload, {});
  assert.equal(optimized.task!.task.provisionerId, 'invalid');
  assert.equal(optimized.task!.task.workerType, 'always-optimized');
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
