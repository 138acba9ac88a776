import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedGraph } from '../../../src/transform/model.js';
import { keyedByContext } from '../../../src/transform/transforms/keyed-by-context.js';

const graph = { params: { level: '3', project: 'widget', tasks_for: 'github-push' } } as unknown as LoadedGraph;

describe('keyedByContext', () => {
  it('looks up the run values first, then the task fields, then the attributes', () => {
    const task = {
      level: '1',
      'worker-type': 'b-linux',
      platform: 'from-field',
      attributes: { platform: 'from-attributes', shard: 2, kind: 'attr-kind' },
    };
    const context = keyedByContext(graph, 'build', task);
    assert.equal(context.level, '3');
    assert.equal(context.project, 'widget');
    assert.equal(context['tasks-for'], 'github-push');
    assert.equal(context.kind, 'build');
    assert.equal(context['worker-type'], 'b-linux');
    assert.equal(context.platform, 'from-field');
    assert.equal(context.shard, 2);
    assert.equal(context['no-such-attribute'], undefined);
  });

  it('gives what the spread object would for a task without attributes', () => {
    const task = { description: 'x', attributes: 'not a map' };
    const context = keyedByContext(graph, 'test', task);
    const spread: Record<string, unknown> = { ...task, level: '3', project: 'widget', 'tasks-for': 'github-push', kind: 'test' };
    for (const name of ['description', 'attributes', 'level', 'kind', 'missing', 'toString']) {
      assert.equal(context[name], spread[name], name);
    }
  });
});
