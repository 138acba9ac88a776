import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeDefaults, mergedSource } from '../../../src/transform/load/merge.js';
import { locateKey, subSource } from '../../../src/transform/load/source-map.js';
import { parseYamlText } from '../../../src/transform/load/yaml-document.js';

describe('mergeDefaults (taskgraph merge semantics)', () => {
  it('merges maps recursively, concatenates lists (defaults first), and lets task scalars win', () => {
    const defaults = { worker: { env: { A: '1', B: '2' }, caches: [{ name: 'x' }], 'max-run-time': 10 }, tags: ['d'] };
    const task = { worker: { env: { B: 'task' }, caches: [{ name: 'y' }], 'max-run-time': 20 }, description: 't' };
    assert.deepEqual(mergeDefaults(defaults, task), {
      worker: { env: { A: '1', B: 'task' }, caches: [{ name: 'x' }, { name: 'y' }], 'max-run-time': 20 },
      tags: ['d'],
      description: 't',
    });
  });

  it('replaces instead of merging when the task value is keyed-by', () => {
    const defaults = { 'max-run-time': { '3': 1, default: 2 } };
    const task = { 'max-run-time': { 'by-level': { '1': 5, default: 6 } } };
    assert.deepEqual(mergeDefaults(defaults, task), task);
  });

  it('lets the task replace a map by a scalar and a scalar by a map', () => {
    assert.deepEqual(mergeDefaults({ a: { x: 1 }, b: 'x' }, { a: 'flat', b: { y: 2 } }), { a: 'flat', b: { y: 2 } });
  });

  it('copies defaults so that tasks sharing them do not share objects', () => {
    const defaults = { worker: { env: { A: '1' } }, list: [{ a: 1 }] };
    const one = mergeDefaults(defaults, {});
    (one.worker as any).env.A = 'changed';
    (one.list as any)[0].a = 2;
    assert.equal(defaults.worker.env.A, '1');
    assert.equal(defaults.list[0]!.a, 1);
    assert.equal((mergeDefaults(defaults, {}).worker as any).env.A, '1');
  });
});

describe('mergedSource', () => {
  const kind = parseYamlText(
    ['task-defaults:', '  worker:', '    env: {A: "1"}', '    caches: [c1, c2]', '  tags: [d]', ''].join('\n'),
    'kind.yml',
  );
  const file = parseYamlText(['t:', '  worker:', '    caches: [c3]', '    env: {B: "2"}', '  description: x', ''].join('\n'), 'tasks.yml');
  const defaults = (kind.value as any)['task-defaults'];
  const task = (file.value as any).t;
  const source = mergedSource(defaults, subSource(kind.source, ['task-defaults']), task, subSource(file.source, ['t']));

  it('locates keys from the task in the task file and keys only in the defaults in kind.yml', () => {
    assert.deepEqual(source.locate(['description']), { file: 'tasks.yml', line: 5, column: 16 });
    assert.deepEqual(source.locate(['tags', 0]), { file: 'kind.yml', line: 5, column: 10 });
    assert.deepEqual(source.locate(['worker', 'env', 'A']), { file: 'kind.yml', line: 3, column: 14 });
    assert.deepEqual(source.locate(['worker', 'env', 'B']), { file: 'tasks.yml', line: 4, column: 14 });
  });

  it('follows concatenated lists to the right file', () => {
    assert.equal(source.locate(['worker', 'caches', 1])?.file, 'kind.yml');
    assert.deepEqual(source.locate(['worker', 'caches', 2]), { file: 'tasks.yml', line: 3, column: 14 });
  });

  it('points a missing key at the task', () => {
    assert.deepEqual(source.locate(['worker', 'command']), { file: 'tasks.yml', line: 3, column: 5 });
    assert.deepEqual(locateKey(source, ['description']), { file: 'tasks.yml', line: 5, column: 3 });
  });
});
