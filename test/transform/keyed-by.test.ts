import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveKeyedBy } from '../../src/transform/keyed-by.js';
import { parseYamlText } from '../../src/transform/load/yaml-document.js';

function resolveText(text: string, context: Record<string, unknown>) {
  const { value, source } = parseYamlText(text, 'kind.yml');
  return { original: value as Record<string, unknown>, ...resolveKeyedBy(value as Record<string, unknown>, source, context) };
}

describe('resolveKeyedBy', () => {
  const TEXT = `
max-run-time:
    by-level:
        '3': 3600
        default: 1800
worker:
    env:
        CHANNEL:
            by-project:
                widget: release
                'try|try-.*': try
                'wid.*': nightly
                default: dev
    caches:
        - name: a
          skip:
              by-tasks-for:
                  github-pull-request: true
                  default: false
plain: {by: not keyed, other: 1}
`;

  it('takes the exact key first', () => {
    const { value, diagnostics } = resolveText(TEXT, { level: '3', project: 'widget', 'tasks-for': 'github-push' });
    assert.deepEqual(diagnostics, []);
    assert.equal(value['max-run-time'], 3600);
    assert.equal((value.worker as any).env.CHANNEL, 'release');
  });

  it('then a key that matches the whole value as a regular expression', () => {
    assert.equal((resolveText(TEXT, { level: '3', project: 'try-comm' }).value.worker as any).env.CHANNEL, 'try');
    assert.equal((resolveText(TEXT, { level: '3', project: 'widgets' }).value.worker as any).env.CHANNEL, 'nightly');
    // A regular expression must match all of the value, not a part of it.
    assert.equal((resolveText(TEXT, { level: '3', project: 'retry' }).value.worker as any).env.CHANNEL, 'dev');
  });

  it('then default', () => {
    const { value } = resolveText(TEXT, { level: '1', project: 'other', 'tasks-for': 'github-pull-request' });
    assert.equal(value['max-run-time'], 1800);
    assert.equal((value.worker as any).env.CHANNEL, 'dev');
    assert.equal((value.worker as any).caches[0].skip, true);
  });

  it('leaves maps that are not keyed-by alone and does not modify its input', () => {
    const { value, original } = resolveText(TEXT, { level: '1', project: 'x' });
    assert.deepEqual(value.plain, { by: 'not keyed', other: 1 });
    assert.ok('by-level' in (original['max-run-time'] as object));
  });

  it('uses snake_case attributes from parameters when the kebab-case one is absent', () => {
    const { value } = resolveText(TEXT, { level: '3', project: 'x', tasks_for: 'github-pull-request' });
    assert.equal((value.worker as any).caches[0].skip, true);
  });

  it('resolves nested keyed-by values', () => {
    const { value, diagnostics } = resolveText(
      `x:\n  by-level:\n    '3':\n      by-project:\n        a: A3\n        default: D3\n    default: D\n`,
      { level: '3', project: 'a' },
    );
    assert.deepEqual(diagnostics, []);
    assert.equal(value.x, 'A3');
  });

  it('treats a key that is not a valid regular expression as an exact key', () => {
    const text = `x:\n  by-project:\n    'a(b': exact\n    default: other\n`;
    assert.equal(resolveText(text, { project: 'a(b' }).value.x, 'exact');
    assert.equal(resolveText(text, { project: 'ab' }).value.x, 'other');
  });

  it('locates the chosen alternative through the resolved shape', () => {
    const { source } = resolveText(TEXT, { level: '1', project: 'try-x', 'tasks-for': 'github-pull-request' });
    assert.deepEqual(source.locate(['max-run-time']), { file: 'kind.yml', line: 5, column: 18 });
    assert.deepEqual(source.locate(['worker', 'env', 'CHANNEL']), { file: 'kind.yml', line: 11, column: 31 });
    assert.deepEqual(source.locate(['worker', 'caches', 0, 'skip']), { file: 'kind.yml', line: 18, column: 40 });
    assert.deepEqual(source.locate(['worker', 'caches', 0, 'name']), { file: 'kind.yml', line: 15, column: 17 });
  });

  it('reports a value without a match and without default, naming the attribute, the value and the keys', () => {
    const { value, diagnostics } = resolveText(
      `worker:\n  max-run-time:\n    by-level:\n      '3': 1\n      '2': 2\n  other:\n    by-project:\n      x: 1\n`,
      { level: '1', project: 'y' },
    );
    assert.equal(diagnostics.length, 2);
    const [first, second] = diagnostics;
    assert.deepEqual(first!.path, ['worker', 'max-run-time']);
    assert.deepEqual(first!.location, { file: 'kind.yml', line: 3, column: 5 });
    assert.equal(first!.message, 'cannot resolve "by-level": level is "1", which matches none of the keys, and there is no "default"');
    assert.equal(first!.expected, 'the keys offered: "2", "3"');
    assert.deepEqual(second!.path, ['worker', 'other']);
    assert.ok(!('max-run-time' in (value.worker as object)));
  });

  it('reports a missing attribute when there is no default', () => {
    const { diagnostics } = resolveText(`x:\n  by-shipping-phase:\n    build: 1\n`, {});
    assert.match(diagnostics[0]!.message, /has no attribute "shipping-phase"/);
  });

  it('reports several matching regular expressions, as taskgraph does', () => {
    const { diagnostics } = resolveText(`x:\n  by-project:\n    'wid.*': 1\n    '.*get': 2\n`, { project: 'widget' });
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!.message, /matches several keys: "wid\.\*", "\.\*get"/);
  });

  it('reports a keyed-by with only a default, and one whose alternatives are not a map', () => {
    const { diagnostics } = resolveText(`a:\n  by-level:\n    default: 1\nb:\n  by-level: 3\n`, { level: '3' });
    assert.equal(diagnostics.length, 2);
    assert.match(diagnostics[0]!.message, /only a "default"/);
    assert.match(diagnostics[1]!.message, /must map values of "level" to choices/);
    assert.equal(diagnostics[1]!.location?.line, 5);
  });

  it('matches non-string attribute values by their text', () => {
    const { value } = resolveText(`x:\n  by-shippable:\n    true: matched\n    default: unmatched\n`, { shippable: true });
    assert.equal(value.x, 'matched');
  });
});
