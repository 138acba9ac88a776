import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { diagnosticsOfAsync } from './diagnostics-of.js';
import { runtimeDigest, sha256Hex } from '../../src/contract.js';
import { formatDiagnostic } from '../../src/transform/diagnostics.js';
import type { GeneratedTask } from '../../src/transform/model.js';
import { payloadCacheMap } from '../../src/transform/payload/docker-worker.js';
import { generate } from '../../src/transform/pipeline.js';

const tmp = mkdtempSync(join(tmpdir(), 'pipeline-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const BUNDLE_TEXT = 'a run-task bundle for the pipeline tests';
const bundle = join(tmp, 'run-task');
writeFileSync(bundle, BUNDLE_TEXT);
const DIGEST = runtimeDigest(Buffer.from(BUNDLE_TEXT));

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const CONFIG = `
trust-domain: widget
task-priority:
  by-project:
    widget: medium
    default: low
treeherder:
  group-names:
    I: Docker images
    L: Linters
index:
  products: [widget]
workers:
  aliases:
    images: {provisioner: 'widget-{level}', implementation: docker-worker, os: linux, worker-type: images}
    b-linux: {provisioner: 'widget-{level}', implementation: docker-worker, os: linux, worker-type: 'b-linux-{level}'}
    t-macos: {provisioner: widget-t, implementation: generic-worker, os: macosx, worker-type: t-macos-14}
`;

const DOCKER_KIND = `
transforms:
  - taskgraph.transforms.docker_image:transforms
  - taskgraph.transforms.cached_tasks:transforms
  - taskgraph.transforms.task:transforms
tasks:
  base:
    symbol: I(base)
  builder:
    symbol: I(build)
    parent: base
    args:
      RUST_VERSION: '1.83.0'
`;

const LINT_KIND = `
transforms:
  - taskgraph.transforms.task
kind-dependencies: [docker-image]
task-defaults:
  worker-type: b-linux
  treeherder: {kind: test, platform: lint/opt, tier: 1}
  worker:
    docker-image: {in-tree: builder}
    max-run-time:
      by-level:
        '3': 1800
        default: 3600
    volumes: [/builds/worker/tooltool]
    caches:
      - {type: persistent, name: checkouts, mount-point: /builds/worker/checkouts}
      - {type: persistent, name: pip, mount-point: /builds/worker/.cache, skip-untrusted: true}
tasks:
  flake8:
    description: Python style
    treeherder: {symbol: L(flake8)}
    worker:
      command: [/usr/local/bin/run-task, --, flake8]
  license:
    description: Licence headers, no run-task
    treeherder: {symbol: L(lic)}
    worker:
      docker-image: python:3.12-slim
      command: [python3, -c, "print('ok')"]
`;

const MAC_KIND = `
transforms: [taskgraph.transforms.task]
kind-dependencies: [lint]
tasks:
  macos:
    description: On macOS
    worker-type: t-macos
    dependencies: {lint: lint-flake8}
    treeherder: {symbol: L(mac), platform: macosx64/opt}
    worker:
      command: [[make, lint]]
      max-run-time: 60
      mounts:
        - {cache-name: deps, directory: deps}
`;

const PARAMS = `
base_repository: https://github.com/example/widget
base_rev: 5d2e6b1c
base_ref: main
build_date: 1764201600
head_ref: refs/heads/main
head_repository: https://github.com/example/widget
head_rev: 8f3c2a1b
level: '3'
owner: dev@example.com
project: widget
pushlog_id: '0'
repository_type: git
tasks_for: github-push
`;

let counter = 0;
/** A fresh taskgraph tree (root = <repo>/taskcluster, in a git-like checkout) with `extra` files on top. */
function tree(extra: Record<string, string> = {}, omit: string[] = []): { root: string; paramsFile: string } {
  const repo = join(tmp, `repo-${++counter}`);
  const root = join(repo, 'taskcluster');
  const files: Record<string, string> = {
    'config.yml': CONFIG,
    'kinds/docker-image/kind.yml': DOCKER_KIND,
    'kinds/lint/kind.yml': LINT_KIND,
    'kinds/mac/kind.yml': MAC_KIND,
    'docker/base/Dockerfile': 'FROM debian:12-slim\nVOLUME /builds/worker/checkouts\nVOLUME ["/builds/worker/.cache"]\n',
    'docker/builder/Dockerfile': 'ARG DOCKER_IMAGE_PARENT\nFROM $DOCKER_IMAGE_PARENT\nVOLUME /builds/worker/workspace \\\n  /builds/worker/checkouts \\\n  /builds/worker/.cache\n',
    ...extra,
  };
  for (const f of omit) delete files[f];
  write(root, files);
  mkdirSync(join(repo, '.git'));
  const paramsFile = join(repo, 'params.yml');
  writeFileSync(paramsFile, PARAMS);
  return { root, paramsFile };
}

const byLabel = (tasks: GeneratedTask[]) => new Map(tasks.map((t) => [t.label, t]));

const messages = async (fn: () => Promise<unknown>): Promise<string[]> => (await diagnosticsOfAsync(fn)).map(formatDiagnostic);

test('a tree at level 3: image tasks, digests, caches, volumes and scopes as the protocol says', async () => {
  const { root, paramsFile } = tree();
  const result = await generate({ root, paramsFile, runtimeBundlePath: bundle });
  assert.deepEqual(result.warnings.map((w) => w.message), []);
  const tasks = byLabel(result.tasks);
  assert.deepEqual([...tasks.keys()], ['docker-image-base', 'docker-image-builder', 'lint-flake8', 'lint-license', 'mac-macos']);

  const base = tasks.get('docker-image-base')!;
  const builder = tasks.get('docker-image-builder')!;
  assert.deepEqual(builder.dependencies, { parent: 'docker-image-base' });
  const baseCached = base.attributes.cached_task as { type: string; name: string; digest: string };
  const builderCached = builder.attributes.cached_task as { digest: string };
  assert.equal(baseCached.type, 'docker-images.v2');
  assert.equal(baseCached.name, 'base');
  assert.match(baseCached.digest, /^[0-9a-f]{64}$/);
  assert.equal(base.attributes.image_name, 'base');
  assert.deepEqual(base.optimization, {
    'index-search': [`widget.cache.level-3.docker-images.v2.base.hash.${baseCached.digest}`],
  });
  const baseRoutes = base.task.routes as string[];
  assert.ok(baseRoutes.includes(`index.widget.cache.level-3.docker-images.v2.base.hash.${baseCached.digest}`));
  assert.ok(baseRoutes.includes('index.widget.cache.level-3.docker-images.v2.base.latest'));
  assert.ok(baseRoutes.includes('tc-treeherder.v2.widget.8f3c2a1b.0'));
  assert.deepEqual((base.task.extra as Record<string, Record<string, unknown>>).treeherder!.symbol, 'base');
  assert.equal(base.task.provisionerId, 'widget-3');
  assert.equal(base.task.workerType, 'images');
  assert.deepEqual(((base.task.payload as Record<string, unknown>).artifacts as Record<string, unknown>)['public/image.tar.zst'] !== undefined, true);
  const builderEnv = (builder.task.payload as Record<string, Record<string, unknown>>).env!;
  assert.equal(builderEnv.IMAGE_NAME, 'builder');
  assert.deepEqual(builderEnv.PARENT_TASK_ID, { 'task-reference': '<parent>' });
  assert.notEqual(builderCached.digest, baseCached.digest);

  const flake8 = tasks.get('lint-flake8')!;
  assert.deepEqual(flake8.dependencies, { 'docker-image': 'docker-image-builder' });
  const payload = flake8.task.payload as Record<string, unknown>;
  const suffix = `v3-${DIGEST}-<docker-image>`;
  assert.deepEqual(payload.cache, {
    'task-reference': {
      [`widget-level-3-checkouts-${suffix}`]: '/builds/worker/checkouts',
      [`widget-level-3-pip-${suffix}`]: '/builds/worker/.cache',
    },
  });
  assert.deepEqual(
    (flake8.task.scopes as unknown[]).filter((s) => typeof s === 'object'),
    [
      { 'task-reference': `docker-worker:cache:widget-level-3-checkouts-${suffix}` },
      { 'task-reference': `docker-worker:cache:widget-level-3-pip-${suffix}` },
    ],
  );
  const env = payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_CACHES, '/builds/worker/.cache;/builds/worker/checkouts');
  assert.equal(env.TASKCLUSTER_VOLUMES, '/builds/worker/.cache;/builds/worker/checkouts;/builds/worker/tooltool;/builds/worker/workspace');
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, undefined);
  assert.deepEqual(payload.onExitStatus, { retry: [72], purgeCaches: [72] });
  assert.equal(payload.maxRunTime, 1800, 'by-level resolved at level 3');
  assert.equal(flake8.task.priority, 'medium', 'config task-priority resolved by project');
  assert.equal(
    (flake8.task.metadata as Record<string, string>).source,
    'https://github.com/example/widget/blob/8f3c2a1b/taskcluster/kinds/lint',
  );
  // Tags as taskgraph writes them: the implementation and os only where the alias decided them.
  assert.deepEqual(flake8.task.tags, {
    createdForUser: 'dev@example.com',
    kind: 'lint',
    label: 'lint-flake8',
    os: 'linux',
    'worker-implementation': 'docker-worker',
    project: 'widget',
    'trust-domain': 'widget',
  });
  assert.deepEqual(base.task.tags, {
    createdForUser: 'dev@example.com',
    kind: 'docker-image',
    label: 'docker-image-base',
    project: 'widget',
    'trust-domain': 'widget',
  });
  // Above level 1 tasks live a year; retries is left to the queue unless a task sets it.
  assert.equal(flake8.task.created, '2025-11-27T00:00:00.000Z');
  assert.equal(flake8.task.expires, '2026-11-27T00:00:00.000Z');
  assert.equal('retries' in flake8.task, false);

  const license = tasks.get('lint-license')!;
  const licensePayload = license.task.payload as Record<string, unknown>;
  assert.deepEqual(licensePayload.cache, {
    'task-reference': {
      'widget-level-3-checkouts-v3': '/builds/worker/checkouts',
      'widget-level-3-pip-v3': '/builds/worker/.cache',
    },
  });
  assert.deepEqual(
    (license.task.scopes as unknown[]).filter((s) => typeof s === 'object'),
    [{ 'task-reference': 'docker-worker:cache:widget-level-3-checkouts-v3' }, { 'task-reference': 'docker-worker:cache:widget-level-3-pip-v3' }],
  );
  assert.deepEqual(license.dependencies, {});
  assert.equal((licensePayload.env as Record<string, string>).TASKCLUSTER_CACHES, undefined);

  const macos = tasks.get('mac-macos')!;
  assert.equal(macos.workerImplementation, 'generic-worker');
  assert.deepEqual((macos.task.payload as Record<string, unknown>).mounts, [{ cacheName: 'widget-level-3-deps', directory: 'deps' }]);
  assert.ok((macos.task.scopes as string[]).includes('generic-worker:cache:widget-level-3-deps'));
});

test('the same tree at level 1: untrusted caches, skip-untrusted dropped, registry image names hashed', async () => {
  const { root, paramsFile } = tree();
  const result = await generate({ root, paramsFile, overrides: { level: '1' }, runtimeBundlePath: bundle });
  const tasks = byLabel(result.tasks);
  const payload = tasks.get('lint-flake8')!.task.payload as Record<string, unknown>;
  assert.deepEqual(Object.keys(payloadCacheMap(payload)), [`widget-level-1-checkouts-v3-${DIGEST}-<docker-image>`]);
  const env = payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, '1');
  assert.equal(env.TASKCLUSTER_CACHES, '/builds/worker/checkouts');
  assert.equal(payload.maxRunTime, 3600);
  assert.equal(tasks.get('lint-flake8')!.task.schedulerId, 'widget-level-1');
  // Level 1 tasks expire after config.yml's task-expires-after, 28 days when it has none.
  assert.equal(tasks.get('lint-flake8')!.task.expires, '2025-12-25T00:00:00.000Z');
  const base = tasks.get('docker-image-base')!;
  const digest = (base.attributes.cached_task as { digest: string }).digest;
  assert.deepEqual(base.optimization, {
    'index-search': [3, 2, 1].map((l) => `widget.cache.level-${l}.docker-images.v2.base.hash.${digest}`),
  });
});

test('run-task with a registry image: the suffix hashes the image name', async () => {
  const { root, paramsFile } = tree({
    'kinds/lint/kind.yml': LINT_KIND.replace('command: [python3, -c, "print(\'ok\')"]', 'command: [run-task, --, "true"]'),
  });
  const tasks = byLabel((await generate({ root, paramsFile, runtimeBundlePath: bundle })).tasks);
  const cache = payloadCacheMap(tasks.get('lint-license')!.task.payload as Record<string, unknown>);
  const hash = sha256Hex('python:3.12-slim').slice(0, 12);
  assert.deepEqual(Object.keys(cache), [`widget-level-3-checkouts-v3-${DIGEST}${hash}`, `widget-level-3-pip-v3-${DIGEST}${hash}`]);
});

test('generation is deterministic, and the image digest follows the context and its parent', async () => {
  const first = tree();
  const a = JSON.stringify((await generate({ ...first, runtimeBundlePath: bundle })).tasks.map(({ source: _s, ...t }) => t));
  const b = JSON.stringify((await generate({ ...first, runtimeBundlePath: bundle })).tasks.map(({ source: _s, ...t }) => t));
  assert.equal(a, b);
  const digests = async (root: string, paramsFile: string) =>
    (await generate({ root, paramsFile, runtimeBundlePath: bundle })).tasks.filter((t) => t.kind === 'docker-image').map((t) => (t.attributes.cached_task as { digest: string }).digest);
  const [base1, builder1] = await digests(first.root, first.paramsFile);
  const changedParent = tree({ 'docker/base/extra.sh': 'echo\n' });
  const [base2, builder2] = await digests(changedParent.root, changedParent.paramsFile);
  assert.notEqual(base2, base1);
  assert.notEqual(builder2, builder1, "a change to the parent's context changes the child's digest");
});

test('a missing runtime bundle stops run-task caches with a message naming the file and npm run build', async () => {
  const { root, paramsFile } = tree();
  const missing = join(tmp, 'missing', 'run-task');
  const errors = await messages(async () => await generate({ root, paramsFile, runtimeBundlePath: missing }));
  assert.equal(errors.length, 1);
  assert.ok(errors[0]!.includes(missing));
  assert.match(errors[0]!, /kinds\/lint\/kind\.yml:\d+:\d+: worker\.caches: .*npm run build/);
});

test('every problem of a run is reported together, each where it is', async () => {
  const { root, paramsFile } = tree(
    {
      'kinds/docker-image/kind.yml': DOCKER_KIND + '  ghost:\n    symbol: I(ghost)\n',
      'kinds/lint/kind.yml':
        LINT_KIND +
        `  flake8-again:
    label: lint-flake8
    description: same label
    worker:
      command: [run-task]
  typo:
    description: unknown alias
    worker-type: b-linux-typo
    worker: {command: [x]}
  orphan:
    description: depends on nothing that exists
    dependencies: {build: build-nowhere}
    worker: {command: [x]}
`,
      'kinds/other/kind.yml': 'transforms:\n  - taskgraph.transforms.job:transforms\n  - taskgraph.transforms.frobnicate\n  - taskgraph.transforms.task:transforms\ntasks:\n  x: {description: x}\n',
    },
  );
  const errors = await messages(async () => await generate({ root, paramsFile, runtimeBundlePath: bundle }));
  const find = (re: RegExp) => {
    const hit = errors.filter((e) => re.test(e));
    assert.ok(hit.length > 0, `no error matches ${re}:\n${errors.join('\n')}`);
    return hit;
  };
  find(/kinds\/docker-image\/kind\.yml:\d+:\d+: .*docker image "ghost" has no Dockerfile: .*docker\/ghost\/Dockerfile does not exist/);
  // The known names include the built-in worker types.
  find(/kinds\/lint\/kind\.yml:\d+:\d+: worker-type: unknown worker alias "b-linux-typo".*always-optimized, b-linux, images, succeed, t-macos/);
  find(/kinds\/other\/kind\.yml:2:\d+: transforms\[0\]: transform module "taskgraph\.transforms\.job:transforms" is not supported: taskgraph renamed it; list taskgraph\.transforms\.run:transforms instead/);
  find(/kinds\/other\/kind\.yml:3:\d+: transforms\[1\]: transform module "taskgraph\.transforms\.frobnicate" is not supported \(expected one of: taskgraph\.transforms\.cached_tasks, (taskgraph\.transforms\.\w+, )*taskgraph\.transforms\.\w+\)/);
  assert.equal(find(/duplicate label "lint-flake8"/).length, 2, 'both definitions are reported');
  find(/kinds\/lint\/kind\.yml:\d+:\d+: dependencies\.build: task lint-orphan depends on "build-nowhere"/);
});

test('a kind whose transforms do not end with the task transform is an error at its transforms list', async () => {
  const { root, paramsFile } = tree({
    // The transform loader runs exactly the listed transforms (the default loader would add the task transform).
    'kinds/docker-image/kind.yml': 'loader: taskgraph.loader.transform:loader\n' + DOCKER_KIND.replace('  - taskgraph.transforms.task:transforms\n', ''),
  });
  const errors = await messages(async () => await generate({ root, paramsFile, runtimeBundlePath: bundle }));
  assert.ok(errors.some((e) => /kinds\/docker-image\/kind\.yml:\d+:\d+: transforms: the transforms of kind docker-image must end with taskgraph\.transforms\.task/.test(e)), errors.join('\n'));
});

test('an in-tree image that no docker-image task builds is located at the image name', async () => {
  const { root, paramsFile } = tree({
    'kinds/lint/kind.yml': LINT_KIND.replace('docker-image: {in-tree: builder}', 'docker-image: {in-tree: base}'),
    'kinds/docker-image/kind.yml': DOCKER_KIND.replace(/  builder:[\s\S]*$/, ''),
  });
  // base exists, so this works; now point at an image with a Dockerfile but no task.
  await generate({ root, paramsFile, runtimeBundlePath: bundle });
  const other = tree({
    'kinds/docker-image/kind.yml': DOCKER_KIND.replace(/  builder:[\s\S]*$/, ''),
  });
  const errors = await messages(async () => await generate({ ...other, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/lint\/kind\.yml:\d+:\d+: worker\.docker-image\.in-tree: task lint-flake8 runs in in-tree image builder, but no task docker-image-builder builds it/.test(e)),
    errors.join('\n'),
  );
});

test('image tasks need the "images" worker alias; an explicit implementation must agree with the alias', async () => {
  const { root, paramsFile } = tree({
    'config.yml': CONFIG.replace(/    images: .*\n/, ''),
    'kinds/mac/kind.yml': MAC_KIND.replace('worker:\n      command', 'worker:\n      implementation: docker-worker\n      command'),
  });
  const errors = await messages(async () => await generate({ root, paramsFile, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/docker-image\/kind\.yml:\d+:\d+: worker-type: unknown worker alias "images" \(task docker-image-base\).*define it in config\.yml/.test(e)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => /kinds\/mac\/kind\.yml:\d+:\d+: worker\.implementation: worker\.implementation is "docker-worker" but worker alias "t-macos" runs generic-worker/.test(e)),
    errors.join('\n'),
  );
});

test('with the default loader the run and task transforms are implied; without run, a run description is refused by name', async () => {
  const { root, paramsFile } = tree({
    'kinds/mac/kind.yml': MAC_KIND.replace('transforms: [taskgraph.transforms.task]\n', 'loader: taskgraph.loader.default:loader\n'),
  });
  const tasks = byLabel((await generate({ root, paramsFile, runtimeBundlePath: bundle })).tasks);
  assert.equal(tasks.get('mac-macos')!.workerImplementation, 'generic-worker');

  const withRun = tree({
    'kinds/mac/kind.yml': MAC_KIND.replace(
      'transforms: [taskgraph.transforms.task]\n',
      'loader: taskgraph.loader.transform:loader\ntransforms: [taskgraph.transforms.task]\n',
    ).replace('    worker-type: t-macos\n', '    worker-type: t-macos\n    run: {using: run-task, command: make}\n'),
  });
  const errors = await messages(async () => await generate({ ...withRun, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/mac\/kind\.yml:\d+:\d+: run: task mac-macos has a run description, but the transforms of kind mac do not include taskgraph\.transforms\.run/.test(e)),
    errors.join('\n'),
  );
});

test('config.yml takes any implementation name; only a task on such an alias is an error, at its worker-type', async () => {
  const config = CONFIG + "    b-script: {provisioner: 'widget-{level}', implementation: scriptworker, os: linux, worker-type: signing}\n";
  // Unused, the alias is no problem.
  const fine = tree({ 'config.yml': config });
  assert.equal((await generate({ ...fine, runtimeBundlePath: bundle })).tasks.length, 5);

  const used = tree({
    'config.yml': config,
    'kinds/mac/kind.yml': MAC_KIND + '  signing:\n    description: Sign\n    worker-type: b-script\n    worker: {}\n',
  });
  const errors = await messages(async () => await generate({ ...used, runtimeBundlePath: bundle }));
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(
    errors[0]!,
    /kinds\/mac\/kind\.yml:17:18: worker-type: task mac-signing runs on worker implementation "scriptworker" \(worker alias "b-script"\), which has no payload builder here \(expected a worker alias whose implementation is one of: docker-worker, generic-worker, succeed, always-optimized\)$/,
  );
});

test('worker aliases with regular-expression keys and by-level, formatted with {alias}, {level} and {trust-domain}', async () => {
  const config = CONFIG.replace(
    /    b-linux: .*\n/,
    "    'b-linux(-large)?':\n      provisioner: {by-level: {'3': '{trust-domain}-3', default: '{trust-domain}-t'}}\n      implementation: docker-worker\n      os: linux\n      worker-type: '{alias}-{level}'\n",
  );
  const kinds = { 'config.yml': config, 'kinds/lint/kind.yml': LINT_KIND.replace('  license:\n', '  license:\n    worker-type: b-linux-large\n') };
  for (const level of ['1', '3']) {
    const { root, paramsFile } = tree(kinds);
    const tasks = byLabel((await generate({ root, paramsFile, overrides: { level }, runtimeBundlePath: bundle })).tasks);
    const provisioner = level === '3' ? 'widget-3' : 'widget-t';
    assert.deepEqual([tasks.get('lint-flake8')!.task.provisionerId, tasks.get('lint-flake8')!.task.workerType], [provisioner, `b-linux-${level}`]);
    assert.deepEqual([tasks.get('lint-license')!.task.provisionerId, tasks.get('lint-license')!.task.workerType], [provisioner, `b-linux-large-${level}`]);
    assert.equal((tasks.get('lint-license')!.task.tags as Record<string, string>)['worker-implementation'], 'docker-worker');
  }
  // A worker-type two keys match is an error at the task's worker-type.
  const ambiguous = tree({ ...kinds, 'config.yml': kinds['config.yml'] + "    '.*-large': {provisioner: x, implementation: docker-worker, os: linux, worker-type: y}\n" });
  const errors = await messages(async () => await generate({ ...ambiguous, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/lint\/kind\.yml:\d+:\d+: worker-type: worker-type "b-linux-large" matches several worker aliases: "b-linux\(-large\)\?", "\.\*-large" \(task lint-license\)/.test(e)),
    errors.join('\n'),
  );
});

test('config.yml task defaults as taskgraph reads them: task-expires-after at level 1 only, priority keyed by project alone', async () => {
  const config = CONFIG.replace(
    /task-priority:\n(  .*\n)+/,
    "task-priority:\n  by-level:\n    '3': highest\n    default: very-low\ntask-expires-after: 2 weeks\n",
  );
  const level1 = byLabel((await generate({ ...tree({ 'config.yml': config }), overrides: { level: '1' }, runtimeBundlePath: bundle })).tasks).get('lint-flake8')!.task;
  const level3 = byLabel((await generate({ ...tree({ 'config.yml': config }), runtimeBundlePath: bundle })).tasks).get('lint-flake8')!.task;
  assert.equal(level1.expires, '2025-12-11T00:00:00.000Z', '2 weeks at level 1');
  assert.equal(level3.expires, '2026-11-27T00:00:00.000Z', 'a year above level 1, whatever config.yml says');
  // The level is not a key of config.yml's task-priority: by-level takes its default at every level.
  assert.equal(level1.priority, 'very-low');
  assert.equal(level3.priority, 'very-low');
});

test('the built-in worker type succeed: no alias, no worker section, an empty payload; worker settings are located errors', async () => {
  const kind = 'transforms: [taskgraph.transforms.task]\ntasks:\n  done:\n    description: Nothing to run\n    worker-type: succeed\n';
  const { root, paramsFile } = tree({ 'kinds/done/kind.yml': kind });
  const done = byLabel((await generate({ root, paramsFile, runtimeBundlePath: bundle })).tasks).get('done-done')!;
  assert.equal(done.workerImplementation, 'succeed');
  assert.deepEqual(done.task.payload, {});
  assert.deepEqual([done.task.provisionerId, done.task.workerType], ['built-in', 'succeed']);

  const refused = tree({ 'kinds/done/kind.yml': `${kind}    worker: {docker-image: debian:12}\n` });
  const errors = await messages(async () => await generate({ ...refused, runtimeBundlePath: bundle }));
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /kinds\/done\/kind\.yml:6:28: worker\.docker-image: the built-in worker type "succeed" takes no worker settings, but this task sets "docker-image"/);
});
