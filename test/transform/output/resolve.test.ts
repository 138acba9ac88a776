import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnosticsOf } from '../diagnostics-of.js';
import { formatDiagnostic } from '../../../src/transform/diagnostics.js';
import type { GeneratedTask } from '../../../src/transform/model.js';
import { payloadValidator, queueTaskValidator } from '../../../src/transform/output/output-schemas.js';
import { resolveTasks } from '../../../src/transform/output/resolve.js';
import { NICE_SLUGID_PATTERN } from '../../../src/transform/output/slugid.js';
import { buildTask, clone, genericTask, graph, imageTask } from './fixtures.js';

const ROOT_URL = 'https://tc.example.com';

function byLabel(resolved: Record<string, Record<string, unknown>>): Map<string, [string, Record<string, unknown>]> {
  return new Map(
    Object.entries(resolved).map(([id, def]) => [(def.metadata as { name: string }).name, [id, def]] as const),
  );
}

const messagesOf = (run: () => unknown): string[] => diagnosticsOf(run).map(formatDiagnostic);

describe('resolveTasks', () => {
  it('gives every task a nice slugid and resolves references in values and keys', () => {
    const resolved = resolveTasks(graph(), { seed: 's', rootUrl: `${ROOT_URL}/` });
    const tasks = byLabel(resolved);
    assert.equal(tasks.size, 4);
    const ids = [...Object.keys(resolved)];
    for (const id of ids) assert.match(id, NICE_SLUGID_PATTERN);
    assert.equal(new Set(ids).size, 4);

    const [imageId] = tasks.get('docker-image-base')!;
    const [toolchainId] = tasks.get('toolchain-clang')!;
    const [buildId, build] = tasks.get('build-linux')!;
    const groupId = build.taskGroupId as string;
    assert.match(groupId, NICE_SLUGID_PATTERN);
    assert.ok(!ids.includes(groupId), 'the decision task is not one of the generated tasks');

    assert.deepEqual(build.dependencies, [imageId, toolchainId].sort());
    const payload = build.payload as Record<string, any>;
    assert.deepEqual(payload.image, { path: 'public/image.tar.zst', taskId: imageId, type: 'task-image' });
    const cacheName = `proj-level-3-checkouts-v3-0123456789abcdef0123-${imageId}`;
    // The task-reference wrapper is gone: the map itself, with the image task's id in its keys.
    assert.deepEqual(payload.cache, { [cacheName]: '/builds/worker/checkouts' });
    assert.deepEqual(build.scopes, [`docker-worker:cache:${cacheName}`, 'secrets:get:project/build']);
    assert.equal(payload.env.MOZ_FETCHES, `${ROOT_URL}/api/queue/v1/task/${toolchainId}/artifacts/public/build/clang.tar.zst`);
    assert.equal(payload.env.SELF_ID, `I am ${buildId} in ${groupId}`);

    for (const [, def] of tasks.values()) assert.equal(def.taskGroupId, groupId);
    assert.deepEqual(tasks.get('docker-image-base')![1].dependencies, []);
  });

  it('returns definitions the published queue and payload schemas accept, with no reference left', () => {
    const tasks = graph();
    const resolved = resolveTasks(tasks, { seed: 'schemas', rootUrl: ROOT_URL });
    const text = JSON.stringify(resolved);
    assert.doesNotMatch(text, /task-reference|artifact-reference|<docker-image>|<self>|<decision>/);
    const implementation = new Map(tasks.map((t) => [t.label, t.workerImplementation]));
    for (const def of Object.values(resolved)) {
      const queue = queueTaskValidator();
      assert.ok(queue(def), JSON.stringify(queue.errors));
      const payload = payloadValidator(implementation.get((def.metadata as { name: string }).name)!)!;
      assert.ok(payload(def.payload), JSON.stringify(payload.errors));
    }
  });

  it('is deterministic: the same tasks and seed give byte-identical output, in any input order', () => {
    const first = JSON.stringify(resolveTasks(graph(), { seed: 'push-42', rootUrl: ROOT_URL }), null, 2);
    const again = JSON.stringify(resolveTasks(graph(), { seed: 'push-42', rootUrl: ROOT_URL }), null, 2);
    assert.equal(again, first);
    const shuffled = JSON.stringify(resolveTasks(graph().reverse(), { seed: 'push-42', rootUrl: ROOT_URL }), null, 2);
    assert.equal(shuffled, first);
  });

  it('gives other ids for another seed, and fresh random ids without one', () => {
    const ids = (seed?: string) => Object.keys(resolveTasks(graph(), { seed, rootUrl: ROOT_URL }));
    const a = ids('one');
    const b = ids('two');
    assert.equal(a.filter((id) => b.includes(id)).length, 0);
    const r1 = ids();
    const r2 = ids();
    assert.equal(r1.filter((id) => r2.includes(id)).length, 0);
  });

  it('uses the given task group id, without changing the task ids', () => {
    const groupId = 'fQ3ZVbJ3QJ-8rXqHn0Xm3w';
    const plain = resolveTasks(graph(), { seed: 'g', rootUrl: ROOT_URL });
    const given = resolveTasks(graph(), { seed: 'g', rootUrl: ROOT_URL, taskGroupId: groupId });
    assert.deepEqual(Object.keys(given), Object.keys(plain));
    for (const def of Object.values(given)) assert.equal(def.taskGroupId, groupId);
    const build = byLabel(given).get('build-linux')![1];
    assert.match((build.payload as any).env.SELF_ID, new RegExp(` in ${groupId}$`));
  });

  it('rejects a task group id that is not a slugid', () => {
    const lines = messagesOf(() => resolveTasks(graph(), { taskGroupId: 'not-a-slug', rootUrl: ROOT_URL }));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /"not-a-slug" is not a valid task id/);
  });

  it('names the task, the reference and the known names for an unknown reference', () => {
    const t = clone(buildTask());
    (t.task.payload as any).env.BAD = { 'task-reference': '<toolchian>' };
    const lines = messagesOf(() => resolveTasks([imageTask('base'), genericTask(), t], { seed: 'x', rootUrl: ROOT_URL }));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^kinds\/build\/kind\.yml:12:3: task\.payload\.env\.BAD\.task-reference: /);
    assert.match(lines[0]!, /build-linux: task reference <toolchian> names no dependency of this task/);
    assert.match(lines[0]!, /expected one of: <docker-image>, <toolchain>, <self>, <decision>/);
  });

  it('reports a dependency on a label that is not in the graph, wherever it is referenced', () => {
    const t = buildTask();
    const lines = messagesOf(() => resolveTasks([imageTask('base'), t], { seed: 'x', rootUrl: ROOT_URL }));
    assert.ok(lines.length >= 2, lines.join('\n'));
    assert.ok(lines.every((l) => l.startsWith('kinds/build/kind.yml:12:3: ')));
    assert.ok(lines.some((l) => /dependency toolchain → toolchain-clang names no task in this graph/.test(l)));
    assert.ok(lines.some((l) => /artifact reference <toolchain> refers to dependency toolchain → toolchain-clang, but there is no task labelled toolchain-clang/.test(l)));
  });

  it('needs the root URL for artifact references, and a path in each', () => {
    const noRoot = messagesOf(() => resolveTasks(graph(), { seed: 'x' }));
    assert.equal(noRoot.length, 2, noRoot.join('\n')); // build-linux and build-macos
    assert.match(noRoot[0]!, /needs the Taskcluster root URL.*--root-url or TASKCLUSTER_ROOT_URL/);
    const t = clone(buildTask());
    (t.task.payload as any).env.MOZ_FETCHES = { 'artifact-reference': '<toolchain>' };
    const noPath = messagesOf(() => resolveTasks([imageTask('base'), genericTask(), t], { seed: 'x', rootUrl: ROOT_URL }));
    assert.equal(noPath.length, 1, noPath.join('\n'));
    assert.match(noPath[0]!, /artifact reference <toolchain> names no artifact/);
    const self = clone(buildTask());
    (self.task.payload as any).env.MOZ_FETCHES = { 'artifact-reference': '<self/public/x>' };
    const own = messagesOf(() => resolveTasks([imageTask('base'), genericTask(), self], { seed: 'x', rootUrl: ROOT_URL }));
    assert.match(own[0]!, /cannot refer to its own artifacts/);
  });

  it('rejects a root URL that is not an http(s) URL', () => {
    for (const rootUrl of ['tc.example.com', 'ftp://tc.example.com', 'https://tc.example.com/?x=1']) {
      const lines = messagesOf(() => resolveTasks(graph(), { seed: 'x', rootUrl }));
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /is not an http\(s\) URL/);
    }
  });

  it('treats task.dependencies in an unresolved definition as a builder bug', () => {
    const t: GeneratedTask = clone(imageTask('base'));
    t.task.dependencies = [];
    const lines = messagesOf(() => resolveTasks([t], { seed: 'x' }));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /task\.dependencies: .*already has "dependencies"/);
  });

  it('re-validates the resolved definitions and blames the builder', () => {
    const t = clone(genericTask());
    (t.task.payload as any).mounts[2].content.taskId = { 'task-reference': 'x<docker-image>' };
    const lines = messagesOf(() => resolveTasks([imageTask('base'), t], { seed: 'x' }));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /the resolved task definition of toolchain-clang is invalid.*generic-worker payload builder/);
  });

  it('does not modify the tasks it was given', () => {
    const tasks = graph();
    const before = JSON.stringify(tasks.map((t) => t.task));
    resolveTasks(tasks, { seed: 'x', rootUrl: ROOT_URL });
    assert.equal(JSON.stringify(tasks.map((t) => t.task)), before);
  });
});
