// End to end: the bundled fixture tree through the real CLI, checked the way a
// release engineer reads a payload — cache names, scopes, the TASKCLUSTER_*
// variables and exit-status handling, at levels 3 and 1.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runtimeDigest, sha256Hex } from '../../src/contract.js';
import { fixtureRoot, fixtures, repoRoot, runCli } from './run-cli.js';

type Json = Record<string, any>;

const digest = runtimeDigest(readFileSync(join(repoRoot, 'dist', 'run-task')));

function generate(params: string, ...extra: string[]): Record<string, Json> {
  const result = runCli(['generate', '--root', fixtureRoot, '--params', join(fixtures, params), ...extra]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, Json>;
}

describe('generate on the bundled fixtures at level 3', () => {
  const graph = generate('params.yml');

  test('every kind yields its tasks, labelled <kind>-<name>', () => {
    assert.deepEqual(Object.keys(graph).sort(), [
      'build-linux64-debug',
      'build-linux64-opt',
      'build-linux64-release',
      'docker-image-base',
      'docker-image-builder',
      'lint-flake8',
      'lint-license',
      'lint-shellcheck',
      'package-linux64-debug-1',
      'package-linux64-debug-2',
      'package-linux64-opt-1',
      'package-linux64-opt-2',
      'package-linux64-release-1',
      'package-linux64-release-2',
      'review-summary',
      'smoke-cli-alpine-3.12',
      'smoke-cli-slim-3.11',
      'smoke-cli-slim-3.12',
      'test-unit-linux64',
      'test-unit-macos',
    ]);
    assert.equal(graph['lint-flake8']!.kind, 'lint');
    assert.equal(graph['lint-flake8']!.task.metadata.name, 'lint-flake8');
  });

  test('the review kind: soft dependencies on the builds whose code-review attribute is true (code_review), notify routes and content (notify)', () => {
    const review = graph['review-summary']!;
    assert.deepEqual(review.soft_dependencies, ['build-linux64-debug']);
    assert.deepEqual(review.task.routes.filter((r: string) => r.startsWith('notify.')), [
      'notify.email.release@example.com.on-failed',
      'notify.matrix-room.!widget:matrix.example.com.on-completed',
    ]);
    assert.deepEqual(review.task.extra.notify, { email: { subject: 'summary of review finished' } });
  });

  test('the package kind: a task per build (from_deps), its context from a file (task_context), two chunks at level 3 (chunking)', () => {
    const part = graph['package-linux64-opt-2']!;
    assert.deepEqual(part.dependencies, { build: 'build-linux64-opt' });
    assert.equal(part.attributes['primary-dependency-label'], 'build-linux64-opt');
    assert.equal(part.attributes.this_chunk, 2);
    assert.equal(part.task.metadata.description, 'Package linux64-opt for the nightly channel (zstd), part 2');
    assert.deepEqual([part.task.payload.env.CHANNEL, part.task.payload.env.PART], ['nightly', '2/2']);
  });

  test('the smoke kind: a task per matrix combination, the excluded one left out, only the listed fields substituted', () => {
    const alpine = graph['smoke-cli-alpine-3.12']!;
    assert.deepEqual(alpine.attributes.matrix, { distro: 'alpine', python: '3.12' });
    assert.equal(alpine.task.payload.image, 'python:3.12-alpine');
    assert.equal(alpine.task.payload.env.PYTHON_VERSION, '3.12');
    assert.match(alpine.task.payload.command.at(-1), /\$\{TMPDIR:-\/tmp\}/);
  });

  test('run-task caches with an in-tree image are named after the runtime and the image task', () => {
    const task = graph['lint-flake8']!.task;
    const checkouts = `widget-level-3-checkouts-v3-${digest}-<docker-image>`;
    const pip = `widget-level-3-pip-v3-${digest}-<docker-image>`;
    assert.deepEqual(graph['lint-flake8']!.dependencies, { 'docker-image': 'docker-image-base' });
    const cacheText = JSON.stringify(task.payload.cache);
    assert.ok(cacheText.includes(checkouts), cacheText);
    assert.ok(cacheText.includes(pip), cacheText);
    assert.ok(JSON.stringify(task.scopes).includes(`docker-worker:cache:${checkouts}`));
    assert.equal(task.payload.env.TASKCLUSTER_CACHES, '/builds/worker/.cache/pip;/builds/worker/checkouts');
    assert.equal(task.payload.env.TASKCLUSTER_VOLUMES, '/builds/worker/.cache/pip;/builds/worker/checkouts');
    assert.equal(task.payload.env.TASKCLUSTER_UNTRUSTED_CACHES, undefined);
    assert.ok(task.payload.onExitStatus.retry.includes(72));
    assert.ok(task.payload.onExitStatus.purgeCaches.includes(72));
  });

  test('run-task caches with a registry image carry the image name digest', () => {
    const task = graph['test-unit-linux64']!.task;
    const name = `widget-level-3-test-data-v3-${digest}${sha256Hex('debian:12-slim').slice(0, 12)}`;
    assert.deepEqual(task.payload.cache, { 'task-reference': { [name]: '/builds/worker/test-data' } });
    assert.deepEqual(
      task.scopes.filter((s: unknown) => JSON.stringify(s).includes('docker-worker:cache:')),
      [{ 'task-reference': `docker-worker:cache:${name}` }],
    );
    assert.equal(task.payload.env.TASKCLUSTER_CACHES, '/builds/worker/test-data');
  });

  test('a command that is not run-task gets the bare cache version and no protocol variables', () => {
    const task = graph['lint-license']!.task;
    assert.deepEqual(Object.keys(task.payload.cache), ['task-reference']);
    assert.deepEqual(Object.keys(task.payload.cache['task-reference']).sort(), [
      'widget-level-3-checkouts-v3',
      'widget-level-3-pip-v3',
    ]);
    assert.equal(task.payload.env.TASKCLUSTER_CACHES, undefined);
    assert.equal(task.payload.env.TASKCLUSTER_VOLUMES, undefined);
    assert.ok(!(task.payload.onExitStatus?.purgeCaches ?? []).includes(72));
  });

  test('worker volumes and the Dockerfile VOLUME lines (both forms, continued lines) are listed', () => {
    const env = graph['build-linux64-opt']!.task.payload.env;
    assert.equal(
      env.TASKCLUSTER_VOLUMES,
      '/builds/worker/.cargo;/builds/worker/artifacts;/builds/worker/tooltool;/builds/worker/workspace',
    );
  });

  test('keyed-by values resolve by level and project', () => {
    assert.equal(graph['lint-flake8']!.task.payload.maxRunTime, 1800);
    assert.equal(graph['build-linux64-opt']!.task.priority, 'medium');
    assert.equal(graph['build-linux64-release']!.task.extra.treeherder.tier, 1);
  });

  test('generic-worker cache mounts get the protocol name and scope', () => {
    const task = graph['test-unit-macos']!.task;
    const mount = task.payload.mounts.find((m: Json) => m.cacheName);
    assert.deepEqual(mount, { cacheName: 'widget-level-3-widget-deps', directory: 'deps' });
    assert.ok(task.scopes.includes('generic-worker:cache:widget-level-3-widget-deps'));
  });
});

describe('generate on the bundled fixtures at level 1', () => {
  const graph = generate('params-untrusted.yml');

  test('skip-untrusted caches are dropped and the rest are marked untrusted', () => {
    const task = graph['lint-flake8']!.task;
    const checkouts = `widget-level-1-checkouts-v3-${digest}-<docker-image>`;
    assert.deepEqual(task.payload.cache, { 'task-reference': { [checkouts]: '/builds/worker/checkouts' } });
    assert.equal(task.payload.env.TASKCLUSTER_CACHES, '/builds/worker/checkouts');
    assert.equal(task.payload.env.TASKCLUSTER_UNTRUSTED_CACHES, '1');
    assert.ok(!JSON.stringify(task.scopes).includes('-pip-'));
  });

  test('the level is substituted in worker aliases', () => {
    assert.equal(graph['build-linux64-debug']!.task.provisionerId, 'widget-1');
  });

  test('package tasks have one chunk below level 3 (total-chunks keyed by the level through task_context)', () => {
    assert.deepEqual(Object.keys(graph).filter((l) => l.startsWith('package-')).sort(), [
      'package-linux64-debug-1',
      'package-linux64-opt-1',
      'package-linux64-release-1',
    ]);
    assert.equal(graph['package-linux64-opt-1']!.task.payload.env.PART, '1/1');
  });
});

describe('generate --resolve', () => {
  const seedArgs = ['--resolve', '--seed', 'fixtures', '--root-url', 'https://tc.example.com'];

  test('task ids are slugids, references are resolved and the output is deterministic', () => {
    const first = runCli(['generate', '--root', fixtureRoot, '--params', join(fixtures, 'params.yml'), ...seedArgs]);
    const second = runCli(['generate', '--root', fixtureRoot, '--params', join(fixtures, 'params.yml'), ...seedArgs]);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, second.stdout);
    const tasks = JSON.parse(first.stdout) as Record<string, Json>;
    const ids = Object.keys(tasks);
    assert.equal(ids.length, 20);
    for (const id of ids) assert.match(id, /^[A-Za-f][A-Za-z0-9_-]{7}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$/);
    assert.ok(!first.stdout.includes('task-reference'));
    assert.ok(!first.stdout.includes('artifact-reference'));
    assert.ok(!first.stdout.includes('<docker-image>'));
    const byName = new Map(Object.entries(tasks).map(([id, t]) => [t.metadata.name as string, { id, t }]));
    const image = byName.get('docker-image-base')!;
    const lint = byName.get('lint-flake8')!;
    assert.ok(lint.t.dependencies.includes(image.id));
    assert.equal(lint.t.payload.image.taskId, image.id);
    const cacheNames = Object.keys(lint.t.payload.cache);
    assert.ok(cacheNames.includes(`widget-level-3-checkouts-v3-${digest}-${image.id}`), cacheNames.join());
    assert.ok(lint.t.scopes.includes(`docker-worker:cache:widget-level-3-checkouts-v3-${digest}-${image.id}`));
  });

  test('another seed gives other task ids', () => {
    const a = runCli(['generate', '--root', fixtureRoot, '--params', join(fixtures, 'params.yml'), ...seedArgs]);
    const b = runCli(['generate', '--root', fixtureRoot, '--params', join(fixtures, 'params.yml'), '--resolve', '--seed', 'other', '--root-url', 'https://tc.example.com']);
    assert.notDeepEqual(Object.keys(JSON.parse(a.stdout)), Object.keys(JSON.parse(b.stdout)));
  });
});
