import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../../src/transform/diagnostics.js';
import { orderKinds } from '../../../src/transform/load/kind-order.js';
import { fileSource } from '../../../src/transform/load/source-map.js';
import type { LoadedKind } from '../../../src/transform/model.js';

function kind(name: string, kindDependencies: string[]): LoadedKind {
  const file = `kinds/${name}/kind.yml`;
  return { name, dir: `kinds/${name}`, file, transforms: [], kindDependencies, config: {}, configSource: fileSource(file), tasks: [] };
}

describe('orderKinds', () => {
  it('puts every kind after its dependencies, alphabetically among those ready', () => {
    const diagnostics: Diagnostic[] = [];
    const kinds = [kind('test', ['build', 'fetch']), kind('build', ['toolchain', 'docker-image']), kind('toolchain', ['docker-image', 'fetch']), kind('fetch', []), kind('docker-image', []), kind('lint', ['docker-image'])];
    assert.deepEqual(orderKinds(kinds, diagnostics).map((k) => k.name), ['docker-image', 'fetch', 'lint', 'toolchain', 'build', 'test']);
    assert.deepEqual(diagnostics, []);
  });

  it('gives the same order whatever order the kinds come in', () => {
    const a = [kind('b', []), kind('a', []), kind('c', ['a'])];
    const b = [kind('c', ['a']), kind('a', []), kind('b', [])];
    assert.deepEqual(orderKinds(a, []).map((k) => k.name), orderKinds(b, []).map((k) => k.name));
  });

  it('names a cycle from its alphabetically first kind, and leaves kinds outside it alone', () => {
    const diagnostics: Diagnostic[] = [];
    const ordered = orderKinds([kind('z', ['y']), kind('y', ['x']), kind('x', ['z']), kind('free', []), kind('after', ['x'])], diagnostics);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.message, 'the kind dependencies form a cycle: x -> z -> y -> x');
    assert.equal(diagnostics[0]!.location?.file, 'kinds/x/kind.yml');
    assert.deepEqual(ordered.map((k) => k.name).slice(0, 1), ['free']);
    assert.equal(ordered.length, 5);
  });

  it('reports a self-dependency as a cycle', () => {
    const diagnostics: Diagnostic[] = [];
    orderKinds([kind('a', ['a'])], diagnostics);
    assert.equal(diagnostics[0]!.message, 'the kind dependencies form a cycle: a -> a');
  });

  it('reports an unknown dependency, suggesting a near kind name', () => {
    const diagnostics: Diagnostic[] = [];
    orderKinds([kind('build', ['toolchains']), kind('toolchain', [])], diagnostics);
    assert.equal(diagnostics[0]!.message, 'kind "build" depends on kind "toolchains", which does not exist');
    assert.equal(diagnostics[0]!.hint, 'did you mean "toolchain"?');
  });
});
