import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic, type Diagnostic } from '../../../src/transform/diagnostics.js';
import type { GeneratedTask } from '../../../src/transform/model.js';
import { validateGeneratedTasks } from '../../../src/transform/output/validate-output.js';
import { buildTask, clone, genericTask, graph, imageTask } from './fixtures.js';

function only(diagnostics: Diagnostic[]): Diagnostic {
  assert.equal(diagnostics.length, 1, diagnostics.map(formatDiagnostic).join('\n'));
  return diagnostics[0]!;
}

function payloadOf(t: GeneratedTask): Record<string, unknown> {
  return t.task.payload as Record<string, unknown>;
}

describe('validateGeneratedTasks', () => {
  it('accepts valid docker-worker and generic-worker tasks whose references are unresolved', () => {
    assert.deepEqual(validateGeneratedTasks(graph()), []);
  });

  it('reports a payload field out of range, located at the task, blaming the payload builder', () => {
    const t = clone(buildTask());
    payloadOf(t).maxRunTime = 0;
    const d = only(validateGeneratedTasks([t]));
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.location, { file: 'kinds/build/kind.yml', line: 12, column: 3 });
    assert.deepEqual(d.path, ['task', 'payload', 'maxRunTime']);
    assert.match(d.message, /build-linux/);
    assert.match(d.message, /docker-worker payload builder/);
    assert.match(d.message, /not in your YAML/);
    assert.equal(d.expected, 'a number >= 1');
  });

  it('names an unknown payload field and the fields that are allowed', () => {
    const t = clone(genericTask());
    payloadOf(t).cache = {};
    const d = only(validateGeneratedTasks([t]));
    assert.deepEqual(d.path, ['task', 'payload', 'cache']);
    assert.match(d.message, /"cache"/);
    assert.match(d.message, /generic-worker payload builder/);
    assert.match(d.expected ?? '', /mounts/);
  });

  it('does not loosen the schemas for references: a reference where a number belongs is an error', () => {
    const t = clone(buildTask());
    payloadOf(t).maxRunTime = { 'task-reference': '<self>' };
    const d = only(validateGeneratedTasks([t]));
    assert.deepEqual(d.path, ['task', 'payload', 'maxRunTime']);
    assert.equal(d.expected, 'an integer');
  });

  it('checks what a task reference stands for: a marker embedded in text is no task id', () => {
    const t = clone(genericTask());
    const mounts = payloadOf(t).mounts as Record<string, unknown>[];
    mounts[2]!.content = { taskId: { 'task-reference': 'id-<docker-image>' }, artifact: 'public/image.tar.zst' };
    const d = only(validateGeneratedTasks([t]));
    assert.deepEqual(d.path, ['task', 'payload', 'mounts', 2]);
    assert.match(d.message, /none of the allowed forms/);
    assert.match(d.expected ?? '', /File Mount; Writable Directory Cache; Read Only Directory/);
  });

  it('reports one line for a value that fits none of the alternatives, listing them', () => {
    const t = clone(buildTask());
    payloadOf(t).image = { name: 'ubuntu' };
    const d = only(validateGeneratedTasks([t]));
    assert.deepEqual(d.path, ['task', 'payload', 'image']);
    assert.match(d.expected ?? '', /exactly one of: Docker Image Name; Named Docker Image; Indexed Docker Image; Docker Image Artifact/);
  });

  it('checks the queue fields, blaming the task transform, and reports every problem of every task', () => {
    const a = clone(imageTask('base'));
    delete (a.task.metadata as Record<string, unknown>).owner;
    a.task.priority = 'urgent';
    const b = clone(buildTask());
    b.task.schedulerId = 'has.dots';
    b.task.metadata = { ...(b.task.metadata as object), source: 'javascript:alert(1)' };
    const found = validateGeneratedTasks([a, b]);
    const lines = found.map(formatDiagnostic);
    assert.equal(found.length, 4, lines.join('\n'));
    const byPath = new Map(found.map((d) => [JSON.stringify(d.path), d]));
    assert.match(byPath.get('["task","metadata"]')!.message, /lacks the required field "owner"/);
    assert.match(byPath.get('["task","priority"]')!.expected ?? '', /"lowest"/);
    assert.match(byPath.get('["task","schedulerId"]')!.expected ?? '', /\^\(\[a-zA-Z0-9-_\]\*\)\$/);
    assert.match(byPath.get('["task","metadata","source"]')!.expected ?? '', /https/);
    for (const d of found) assert.match(d.message, /task transform/);
    assert.ok(
      lines.some((l) => l.startsWith('kinds/docker-image/kind.yml:4:3: task.metadata: ')),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => l.startsWith('kinds/build/kind.yml:12:3: task.schedulerId: ')), lines.join('\n'));
  });

  it('requires a task queue: taskQueueId, or provisionerId and workerType together', () => {
    const t = clone(buildTask());
    delete t.task.workerType;
    const d = only(validateGeneratedTasks([t]));
    assert.match(d.message, /"workerType"/);
    const queue = clone(buildTask());
    delete queue.task.workerType;
    delete queue.task.provisionerId;
    queue.task.taskQueueId = 'proj-3/linux';
    assert.deepEqual(validateGeneratedTasks([queue]), []);
  });

  it('says so when a worker implementation has no payload schema', () => {
    const t = { ...clone(buildTask()), workerImplementation: 'scriptworker' };
    const d = only(validateGeneratedTasks([t]));
    assert.match(d.message, /no payload schema for worker implementation "scriptworker"/);
    assert.equal(d.expected, 'one of: docker-worker, generic-worker, succeed, always-optimized');
  });

  it('checks generic-worker on Windows against the Windows payload schema: each command is one string', () => {
    const windows = (command: unknown[]): GeneratedTask => {
      const t = clone(genericTask());
      t.workerOs = 'windows';
      payloadOf(t).command = command;
      return t;
    };
    assert.deepEqual(validateGeneratedTasks([windows(['build-clang.bat', 'echo done'])]), []);
    const d = only(validateGeneratedTasks([windows([['bash', '-c', 'build-clang']])]));
    assert.deepEqual(d.path, ['task', 'payload', 'command', 0]);
    assert.match(d.message, /generic-worker payload builder/);
    assert.equal(d.expected, 'a string');
    // The POSIX schema wants the opposite, on any other os or none.
    for (const os of ['linux', 'macosx', undefined]) {
      const posix = windows(['build-clang.sh']);
      if (os === undefined) delete posix.workerOs;
      else posix.workerOs = os;
      assert.deepEqual(only(validateGeneratedTasks([posix])).path, ['task', 'payload', 'command', 0], String(os));
    }
  });

  it('checks the built-in worker types against an empty payload', () => {
    for (const implementation of ['succeed', 'always-optimized']) {
      const t = { ...clone(imageTask('base')), workerImplementation: implementation };
      t.task.payload = {};
      assert.deepEqual(validateGeneratedTasks([t]), [], implementation);
      t.task.payload = { command: ['true'] };
      const found = validateGeneratedTasks([t]);
      assert.ok(found.length > 0);
      for (const d of found) assert.match(d.message, new RegExp(`${implementation} payload builder`));
      assert.ok(found.some((d) => /has the field "command"/.test(d.message)), found.map(formatDiagnostic).join('\n'));
    }
  });

  it('accepts timestamps only in date-time form', () => {
    const t = clone(genericTask());
    t.task.deadline = 'tomorrow';
    const d = only(validateGeneratedTasks([t]));
    assert.deepEqual(d.path, ['task', 'deadline']);
    assert.equal(d.expected, 'a date-time string');
  });

  it('gives distinct references distinct placeholders, so unique lists stay unique', () => {
    const t = clone(buildTask());
    t.task.routes = [{ 'task-reference': 'index.<docker-image>' }, { 'task-reference': 'index.<toolchain>' }];
    assert.deepEqual(validateGeneratedTasks([t]), []);
  });

  it('treats task.dependencies in an unresolved definition as a builder bug', () => {
    const t = clone(imageTask('base'));
    t.task.dependencies = [];
    const d = only(validateGeneratedTasks([t]));
    assert.deepEqual(d.path, ['task', 'dependencies']);
    assert.match(d.message, /already has "dependencies"; the builders must leave it out/);
  });
});
