import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { diagnosticsOf } from './diagnostics-of.js';
import { runtimeDigest, sha256Hex } from '../../src/contract.js';
import { formatDiagnostic } from '../../src/transform/diagnostics.js';
import type { GeneratedTask } from '../../src/transform/model.js';
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

const messages = (fn: () => unknown): string[] => diagnosticsOf(fn).map(formatDiagnostic);

test('a tree at level 3: image tasks, digests, caches, volumes and scopes as the protocol says', () => {
  const { root, paramsFile } = tree();
  const result = generate({ root, paramsFile, runtimeBundlePath: bundle });
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
    [`widget-level-3-checkouts-${suffix}`]: '/builds/worker/checkouts',
    [`widget-level-3-pip-${suffix}`]: '/builds/worker/.cache',
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
    'https://github.com/example/widget/blob/8f3c2a1b/taskcluster/kinds/lint/kind.yml',
  );

  const license = tasks.get('lint-license')!;
  const licensePayload = license.task.payload as Record<string, unknown>;
  assert.deepEqual(licensePayload.cache, {
    'widget-level-3-checkouts-v3': '/builds/worker/checkouts',
    'widget-level-3-pip-v3': '/builds/worker/.cache',
  });
  assert.deepEqual(license.dependencies, {});
  assert.equal((licensePayload.env as Record<string, string>).TASKCLUSTER_CACHES, undefined);

  const macos = tasks.get('mac-macos')!;
  assert.equal(macos.workerImplementation, 'generic-worker');
  assert.deepEqual((macos.task.payload as Record<string, unknown>).mounts, [{ cacheName: 'widget-level-3-deps', directory: 'deps' }]);
  assert.ok((macos.task.scopes as string[]).includes('generic-worker:cache:widget-level-3-deps'));
});

test('the same tree at level 1: untrusted caches, skip-untrusted dropped, registry image names hashed', () => {
  const { root, paramsFile } = tree();
  const result = generate({ root, paramsFile, overrides: { level: '1' }, runtimeBundlePath: bundle });
  const tasks = byLabel(result.tasks);
  const payload = tasks.get('lint-flake8')!.task.payload as Record<string, unknown>;
  assert.deepEqual(Object.keys(payload.cache as object), [`widget-level-1-checkouts-v3-${DIGEST}-<docker-image>`]);
  const env = payload.env as Record<string, string>;
  assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, '1');
  assert.equal(env.TASKCLUSTER_CACHES, '/builds/worker/checkouts');
  assert.equal(payload.maxRunTime, 3600);
  assert.equal(tasks.get('lint-flake8')!.task.schedulerId, 'widget-level-1');
  const base = tasks.get('docker-image-base')!;
  const digest = (base.attributes.cached_task as { digest: string }).digest;
  assert.deepEqual(base.optimization, {
    'index-search': [3, 2, 1].map((l) => `widget.cache.level-${l}.docker-images.v2.base.hash.${digest}`),
  });
});

test('run-task with a registry image: the suffix hashes the image name', () => {
  const { root, paramsFile } = tree({
    'kinds/lint/kind.yml': LINT_KIND.replace('command: [python3, -c, "print(\'ok\')"]', 'command: [run-task, --, "true"]'),
  });
  const tasks = byLabel(generate({ root, paramsFile, runtimeBundlePath: bundle }).tasks);
  const cache = (tasks.get('lint-license')!.task.payload as Record<string, unknown>).cache as Record<string, string>;
  const hash = sha256Hex('python:3.12-slim').slice(0, 12);
  assert.deepEqual(Object.keys(cache), [`widget-level-3-checkouts-v3-${DIGEST}${hash}`, `widget-level-3-pip-v3-${DIGEST}${hash}`]);
});

test('generation is deterministic, and the image digest follows the context and its parent', () => {
  const first = tree();
  const a = JSON.stringify(generate({ ...first, runtimeBundlePath: bundle }).tasks.map(({ source: _s, ...t }) => t));
  const b = JSON.stringify(generate({ ...first, runtimeBundlePath: bundle }).tasks.map(({ source: _s, ...t }) => t));
  assert.equal(a, b);
  const digests = (root: string, paramsFile: string) =>
    generate({ root, paramsFile, runtimeBundlePath: bundle }).tasks.filter((t) => t.kind === 'docker-image').map((t) => (t.attributes.cached_task as { digest: string }).digest);
  const [base1, builder1] = digests(first.root, first.paramsFile);
  const changedParent = tree({ 'docker/base/extra.sh': 'echo\n' });
  const [base2, builder2] = digests(changedParent.root, changedParent.paramsFile);
  assert.notEqual(base2, base1);
  assert.notEqual(builder2, builder1, "a change to the parent's context changes the child's digest");
});

test('a missing runtime bundle stops run-task caches with a message naming the file and npm run build', () => {
  const { root, paramsFile } = tree();
  const missing = join(tmp, 'missing', 'run-task');
  const errors = messages(() => generate({ root, paramsFile, runtimeBundlePath: missing }));
  assert.equal(errors.length, 1);
  assert.ok(errors[0]!.includes(missing));
  assert.match(errors[0]!, /kinds\/lint\/kind\.yml:\d+:\d+: worker\.caches: .*npm run build/);
});

test('every problem of a run is reported together, each where it is', () => {
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
  const errors = messages(() => generate({ root, paramsFile, runtimeBundlePath: bundle }));
  const find = (re: RegExp) => {
    const hit = errors.filter((e) => re.test(e));
    assert.ok(hit.length > 0, `no error matches ${re}:\n${errors.join('\n')}`);
    return hit;
  };
  find(/kinds\/docker-image\/kind\.yml:\d+:\d+: .*docker image "ghost" has no Dockerfile: .*docker\/ghost\/Dockerfile does not exist/);
  find(/kinds\/lint\/kind\.yml:\d+:\d+: worker-type: unknown worker alias "b-linux-typo".*b-linux, images, t-macos/);
  find(/kinds\/other\/kind\.yml:2:\d+: transforms\[0\]: transform module "taskgraph\.transforms\.job:transforms" is not supported: taskgraph renamed it; list taskgraph\.transforms\.run:transforms instead/);
  // The supported modules are listed (sorted); which ones grows with the project.
  find(/kinds\/other\/kind\.yml:3:\d+: transforms\[1\]: transform module "taskgraph\.transforms\.frobnicate" is not supported.*one of: taskgraph\.transforms\.cached_tasks, taskgraph\.transforms\.docker_image, (taskgraph\.transforms\.\w+, )*taskgraph\.transforms\.task\)/);
  assert.equal(find(/duplicate label "lint-flake8"/).length, 2, 'both definitions are reported');
  find(/kinds\/lint\/kind\.yml:\d+:\d+: dependencies\.build: task lint-orphan depends on "build-nowhere"/);
});

test('a kind whose transforms do not end with the task transform is an error at its transforms list', () => {
  const { root, paramsFile } = tree({
    // The transform loader runs exactly the listed transforms (the default loader would add the task transform).
    'kinds/docker-image/kind.yml': 'loader: taskgraph.loader.transform:loader\n' + DOCKER_KIND.replace('  - taskgraph.transforms.task:transforms\n', ''),
  });
  const errors = messages(() => generate({ root, paramsFile, runtimeBundlePath: bundle }));
  assert.ok(errors.some((e) => /kinds\/docker-image\/kind\.yml:\d+:\d+: transforms: the transforms of kind docker-image must end with taskgraph\.transforms\.task/.test(e)), errors.join('\n'));
});

test('an in-tree image that no docker-image task builds is located at the image name', () => {
  const { root, paramsFile } = tree({
    'kinds/lint/kind.yml': LINT_KIND.replace('docker-image: {in-tree: builder}', 'docker-image: {in-tree: base}'),
    'kinds/docker-image/kind.yml': DOCKER_KIND.replace(/  builder:[\s\S]*$/, ''),
  });
  // base exists, so this works; now point at an image with a Dockerfile but no task.
  generate({ root, paramsFile, runtimeBundlePath: bundle });
  const other = tree({
    'kinds/docker-image/kind.yml': DOCKER_KIND.replace(/  builder:[\s\S]*$/, ''),
  });
  const errors = messages(() => generate({ ...other, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/lint\/kind\.yml:\d+:\d+: worker\.docker-image\.in-tree: task lint-flake8 runs in in-tree image builder, but no task docker-image-builder builds it/.test(e)),
    errors.join('\n'),
  );
});

test('image tasks need the "images" worker alias; an explicit implementation must agree with the alias', () => {
  const { root, paramsFile } = tree({
    'config.yml': CONFIG.replace(/    images: .*\n/, ''),
    'kinds/mac/kind.yml': MAC_KIND.replace('worker:\n      command', 'worker:\n      implementation: docker-worker\n      command'),
  });
  const errors = messages(() => generate({ root, paramsFile, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/docker-image\/kind\.yml:\d+:\d+: worker-type: unknown worker alias "images" \(task docker-image-base\).*define it in config\.yml/.test(e)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => /kinds\/mac\/kind\.yml:\d+:\d+: worker\.implementation: worker\.implementation is "docker-worker" but worker alias "t-macos" runs generic-worker/.test(e)),
    errors.join('\n'),
  );
});

test('with the default loader the run and task transforms are implied; without run, a run description is refused by name', () => {
  const { root, paramsFile } = tree({
    'kinds/mac/kind.yml': MAC_KIND.replace('transforms: [taskgraph.transforms.task]\n', 'loader: taskgraph.loader.default:loader\n'),
  });
  const tasks = byLabel(generate({ root, paramsFile, runtimeBundlePath: bundle }).tasks);
  assert.equal(tasks.get('mac-macos')!.workerImplementation, 'generic-worker');

  const withRun = tree({
    'kinds/mac/kind.yml': MAC_KIND.replace(
      'transforms: [taskgraph.transforms.task]\n',
      'loader: taskgraph.loader.transform:loader\ntransforms: [taskgraph.transforms.task]\n',
    ).replace('    worker-type: t-macos\n', '    worker-type: t-macos\n    run: {using: run-task, command: make}\n'),
  });
  const errors = messages(() => generate({ ...withRun, runtimeBundlePath: bundle }));
  assert.ok(
    errors.some((e) => /kinds\/mac\/kind\.yml:\d+:\d+: run: task mac-macos has a run description, but the transforms of kind mac do not include taskgraph\.transforms\.run/.test(e)),
    errors.join('\n'),
  );
});
