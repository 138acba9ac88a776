import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticsError } from '../../../src/transform/diagnostics.js';
import { toTaskgraphJson } from '../../../src/transform/output/emit.js';
import { buildTask, graph, imageTask } from './fixtures.js';

describe('toTaskgraphJson', () => {
  it("has taskgraph's shape, keyed by label in the order given, with references left as they are", () => {
    const tasks = graph();
    const out = toTaskgraphJson(tasks);
    assert.deepEqual(Object.keys(out), tasks.map((t) => t.label));
    const build = out['build-linux']!;
    assert.deepEqual(Object.keys(build), [
      'kind',
      'label',
      'attributes',
      'dependencies',
      'optimization',
      'task',
      'description',
      'soft_dependencies',
      'if_dependencies',
    ]);
    assert.equal(build.description, 'Build linux');
    assert.deepEqual(build.soft_dependencies, ['lint-flake8']);
    assert.deepEqual(build.if_dependencies, ['docker-image-base']);
    // Written for every task, as taskgraph writes them, also when the task has none.
    const image = out['docker-image-base']!;
    assert.equal(image.description, '');
    assert.deepEqual(image.soft_dependencies, []);
    assert.deepEqual(image.if_dependencies, []);
    assert.equal(build.kind, 'build');
    assert.deepEqual(build.dependencies, { 'docker-image': 'docker-image-base', toolchain: 'toolchain-clang' });
    assert.equal(build.optimization, null);
    assert.deepEqual(out['toolchain-clang']!.optimization, { 'index-search': ['proj.cache.toolchain.clang'] });
    assert.deepEqual((build.task.payload as Record<string, unknown>).image, {
      path: 'public/image.tar.zst',
      taskId: { 'task-reference': '<docker-image>' },
      type: 'task-image',
    });
    assert.deepEqual(build.task.taskGroupId, { 'task-reference': '<decision>' });
    assert.equal('dependencies' in build.task, false, 'dependencies only at the top level');
    // Nothing internal (source maps, worker implementation, warnings) leaks into the output.
    const text = JSON.stringify(out);
    assert.doesNotMatch(text, /workerImplementation|workerOs|softDependencies|ifDependencies|"source":\{\}|warnings/);
  });

  it('refuses two tasks with one label instead of dropping one', () => {
    const a = buildTask('linux');
    const b = { ...imageTask('x'), label: 'build-linux' };
    assert.throws(
      () => toTaskgraphJson([a, b]),
      (e: unknown) =>
        e instanceof DiagnosticsError &&
        /two tasks have the label build-linux/.test(e.message) &&
        e.diagnostics[0]!.location?.file === 'kinds/docker-image/kind.yml',
    );
  });

  it('keeps a label such as __proto__ as an ordinary key', () => {
    const t = { ...imageTask('x'), label: '__proto__' };
    const out = toTaskgraphJson([t]);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(JSON.parse(JSON.stringify(out)).__proto__.label, '__proto__');
  });
});
