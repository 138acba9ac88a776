import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { YamlPath } from '../../../src/transform/diagnostics.js';
import { asReference, substituteReferences, type MarkerResolver } from '../../../src/transform/output/references.js';

/** Records every marker it is asked about and answers with a readable stand-in. */
function recorder() {
  const seen: { kind: string; name: string; artifact?: string; path: YamlPath }[] = [];
  const resolver: MarkerResolver = {
    task: (name, path) => {
      seen.push({ kind: 'task', name, path });
      return `ID(${name})`;
    },
    artifact: (name, artifact, path) => {
      seen.push({ kind: 'artifact', name, artifact, path });
      return `URL(${name}|${artifact})`;
    },
  };
  return { seen, resolver };
}

describe('references', () => {
  it('recognises only single-key reference objects with a string (or, for task references, an object)', () => {
    assert.deepEqual(asReference({ 'task-reference': '<a>' }), { kind: 'task-reference', text: '<a>' });
    assert.deepEqual(asReference({ 'artifact-reference': '<a/b>' }), { kind: 'artifact-reference', text: '<a/b>' });
    assert.deepEqual(asReference({ 'task-reference': { '<a>': 1 } }), { kind: 'task-reference', text: undefined });
    assert.equal(asReference({ 'task-reference': '<a>', other: 1 }), undefined);
    assert.equal(asReference({ 'artifact-reference': { x: 1 } }), undefined);
    assert.equal(asReference({ 'task-reference': 3 }), undefined);
    assert.equal(asReference(['task-reference']), undefined);
    assert.equal(asReference('<a>'), undefined);
  });

  it('replaces every marker in values, with the path of each, and leaves plain strings alone', () => {
    const { seen, resolver } = recorder();
    const out = substituteReferences(
      {
        env: { A: { 'task-reference': 'x <one> y <self>' }, B: '<not-a-reference>' },
        list: [{ 'artifact-reference': 'get <dep/public/a/b.tar.zst> now' }],
      },
      resolver,
    );
    assert.deepEqual(out, {
      env: { A: 'x ID(one) y ID(self)', B: '<not-a-reference>' },
      list: ['get URL(dep|public/a/b.tar.zst) now'],
    });
    assert.deepEqual(seen, [
      { kind: 'task', name: 'one', path: ['env', 'A', 'task-reference'] },
      { kind: 'task', name: 'self', path: ['env', 'A', 'task-reference'] },
      { kind: 'artifact', name: 'dep', artifact: 'public/a/b.tar.zst', path: ['list', 0, 'artifact-reference'] },
    ]);
  });

  it('replaces markers in object keys, and in the keys of a task-reference object', () => {
    const { seen, resolver } = recorder();
    const out = substituteReferences(
      {
        cache: { 'level-3-checkouts-<docker-image>': '/checkouts', plain: '/plain' },
        map: { 'task-reference': { 'key-<dep>': { 'task-reference': '<dep>' } } },
      },
      resolver,
    );
    assert.deepEqual(out, {
      cache: { 'level-3-checkouts-ID(docker-image)': '/checkouts', plain: '/plain' },
      map: { 'key-ID(dep)': 'ID(dep)' },
    });
    assert.deepEqual(seen[0], { kind: 'task', name: 'docker-image', path: ['cache', 'level-3-checkouts-<docker-image>'] });
  });

  it("keeps taskgraph's escape: <<> is a literal <", () => {
    const { seen, resolver } = recorder();
    assert.equal(substituteReferences({ 'task-reference': 'a <<> b <x>' }, resolver), 'a < b ID(x)');
    assert.deepEqual(substituteReferences({ 'x<<>y': 1 }, resolver), { 'x<y': 1 });
    assert.deepEqual(seen.map((s) => s.name), ['x']);
  });

  it('reports an artifact marker without a path', () => {
    const { seen, resolver } = recorder();
    substituteReferences({ 'artifact-reference': '<dep>' }, resolver);
    assert.deepEqual(seen, [{ kind: 'artifact', name: 'dep', artifact: undefined, path: ['artifact-reference'] }]);
  });

  it('does not modify its input, and shares the parts that have no reference', () => {
    const { resolver } = recorder();
    const untouched = { deep: { list: [1, 2, { a: 'b' }] } };
    const input = { untouched, changed: { x: { 'task-reference': '<d>' } }, arr: [untouched, { 'task-reference': '<d>' }] };
    const before = JSON.stringify(input);
    const out = substituteReferences(input, resolver) as typeof input;
    assert.equal(JSON.stringify(input), before);
    assert.notEqual(out, input);
    assert.equal(out.untouched, untouched);
    assert.equal(out.arr[0], untouched);
    const same = { a: [1, { b: 'c' }] };
    assert.equal(substituteReferences(same, resolver), same);
  });

  it('keeps a __proto__ key as data, not as a prototype', () => {
    const { resolver } = recorder();
    const input = JSON.parse('{"__proto__": {"polluted": true}, "k": {"task-reference": "<d>"}}') as object;
    const out = substituteReferences(input, resolver) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(out), ['__proto__', 'k']);
    assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":true},"k":"ID(d)"}');
  });
});
