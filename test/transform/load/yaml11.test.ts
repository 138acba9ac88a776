// YAML 1.1 as taskgraph reads it (PyYAML's SafeLoader): every value below was
// checked against PyYAML 6.0 (CSafeLoader) by hand; see docs/yaml.md.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadGraph } from '../../../src/transform/load/load-graph.js';
import { parseYamlText } from '../../../src/transform/load/yaml-document.js';
import { packageRoot } from '../../../src/transform/package-paths.js';

const read = (text: string) => parseYamlText(text, 'kind.yml');
/** The same text through the positions reader (a key written twice sends it there). */
const readSlow = (text: string) => {
  const parsed = parseYamlText(`${text}\nzz-dup: 1\nzz-dup: 1\n`, 'kind.yml');
  const { 'zz-dup': _dup, ...value } = parsed.value as Record<string, unknown>;
  return { ...parsed, value };
};

const CASES: [string, unknown][] = [
  ['yes', true], ['Yes', true], ['YES', true], ['yEs', 'yEs'], ['no', false], ['NO', false],
  ['on', true], ['On', true], ['off', false], ['OFF', false], ['y', 'y'], ['n', 'n'], ['Y', 'Y'],
  ['true', true], ['False', false], ['tRUE', 'tRUE'],
  ['0755', 493], ['0o755', '0o755'], ['08', '08'], ['0x1F', 31], ['-0x1f', -31], ['0b101', 5], ['-0b101', -5],
  ['1:30', 90], ['-1:30', -90], ['190:20:30', 685230], ['1:60', '1:60'], ['1:30.5', 90.5],
  ['1_000', 1000], ['1_', 1], ['_1', '_1'], ['0', 0], ['+12', 12],
  ['1e3', '1e3'], ['1.5e3', '1.5e3'], ['1.5e+3', 1500], ['1.', 1], ['.5', 0.5], ['+.5', '+.5'], ['1__0.5', 10.5],
  ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'], ['', null],
  ['0b_', '0b_'], ['=', '='], ['123abc', '123abc'],
];

describe('YAML 1.1 scalars, as PyYAML reads them', () => {
  for (const [text, expected] of CASES) {
    it(`${JSON.stringify(text)} is ${JSON.stringify(expected)} in both readers`, () => {
      assert.deepEqual(read(`v: ${text}\n`).value, { v: expected });
      assert.deepEqual(readSlow(`v: ${text}\n`).value, { v: expected });
    });
  }

  it('quoted and !!str scalars stay strings', () => {
    assert.deepEqual(read(`a: 'yes'\nb: "0755"\nc: !!str 123\nd: !!str on\n`).value, { a: 'yes', b: '0755', c: '123', d: 'on' });
  });

  it('bool, int, float and null keys become the strings JSON writes', () => {
    const text = 'm: {on: push, off: pull, 1: one, 0x10: sixteen, ~: nothing}\n';
    const expected = { m: { true: 'push', false: 'pull', 1: 'one', 16: 'sixteen', null: 'nothing' } };
    assert.deepEqual(read(text).value, expected);
    assert.deepEqual(readSlow(text).value, expected);
  });

  it('merge keys: the task wins over the merged map, and in a list of maps the first wins', () => {
    const text = 'a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc: {<<: [*a, *b], y: 3}\nd:\n  <<: *b\n  x: 4\n';
    const expected = { a: { x: 1, y: 1 }, b: { x: 2, z: 2 }, c: { x: 1, y: 3, z: 2 }, d: { x: 4, z: 2 } };
    assert.deepEqual(read(text).value, expected);
    assert.deepEqual(readSlow(text).value, expected);
  });

  it('two merge keys in one map: the later one wins, as in PyYAML (in block and flow maps, fast and slow reader)', () => {
    const anchors = 'a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\n';
    const expected = { a: { x: 1, y: 1 }, b: { x: 2, z: 2 }, c: { x: 2, y: 1, z: 2, w: 0 } };
    for (const text of [`${anchors}c:\n  <<: *a\n  <<: *b\n  w: 0\n`, `${anchors}c: {<<: *a, <<: *b, w: 0}\n`]) {
      assert.deepEqual(read(text).value, expected);
      assert.deepEqual(readSlow(text).value, expected);
    }
    // Merge keys in different maps are not two in one.
    const separate = `${anchors}c:\n  <<: *a\nd:\n  <<: *b\ne:\n  - <<: *a\n  - <<: *b\n`;
    assert.deepEqual(read(separate).value, { ...expected, c: { x: 1, y: 1 }, d: { x: 2, z: 2 }, e: [{ x: 1, y: 1 }, { x: 2, z: 2 }] });
  });

  it('keeps a timestamp as the text written, with a warning at it (PyYAML would make a date that JSON cannot hold)', () => {
    const { value, warnings } = read('a: x\nwhen: 2025-11-27\nquoted: "2025-11-28"\n');
    assert.deepEqual(value, { a: 'x', when: '2025-11-27', quoted: '2025-11-28' });
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.severity, 'warning');
    assert.deepEqual(warnings[0]!.location, { file: 'kind.yml', line: 2, column: 7 });
    assert.match(warnings[0]!.message, /YAML 1\.1 timestamp.*keeps it as the string "2025-11-27"/);
  });

  it('warns that .inf and .nan are written as null', () => {
    const { value, warnings } = read('a: .inf\nb: -.Inf\nc: .NaN\n');
    const v = value as Record<string, number>;
    assert.equal(v.a, Infinity);
    assert.equal(v.b, -Infinity);
    assert.ok(Number.isNaN(v.c));
    assert.deepEqual(warnings.map((w) => w.location?.line), [1, 2, 3]);
    assert.match(warnings[0]!.message, /JSON cannot hold; it is written as null/);
  });

  it('reports an explicit tag that does not fit its value, and tags it does not know, at the value', () => {
    const problems = (text: string) => {
      try {
        read(text);
      } catch (error) {
        return (error as { diagnostics: { message: string; location?: { line: number } }[] }).diagnostics;
      }
      assert.fail('expected an error');
    };
    const [notInt] = problems('a: 1\nb: !!int twelve\n');
    assert.equal(notInt!.message, '"twelve" is not an integer');
    assert.equal(notInt!.location?.line, 2);
    const [unknown] = problems('a: !!binary aGk=\n');
    assert.match(unknown!.message, /the tag tag:yaml\.org,2002:binary is not supported/);
  });
});

// The yaml-quirks case of ../shared/taskgraph-parity: what the loader reads
// from its YAML must be what taskgraph 24.2 read (its expected.json), before
// any transform. The whole case needs task_context (another transform).
describe('the yaml-quirks parity case, as loaded', () => {
  const caseDir = join(packageRoot, '..', 'shared', 'taskgraph-parity', 'yaml-quirks');
  /** Attributes the transforms add; the rest come from the YAML. */
  const ADDED = ['always_target', 'kind', 'run_on_projects', 'run_on_tasks_for', 'shipping_phase'];

  it('gives every task the attributes and description taskgraph read, with warnings at the keys written twice', async () => {
    assert.ok(existsSync(caseDir), `no parity case at ${caseDir} (../shared/taskgraph-parity is expected beside the repository)`);
    const expected = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Record<
      string,
      { attributes: Record<string, unknown>; task: { metadata: { description: string } } }
    >;
    const graph = await loadGraph({ root: join(caseDir, 'taskcluster'), paramsFile: join(caseDir, 'params.yml') });
    const tasks = graph.kinds.flatMap((kind) => kind.tasks.map((task) => [`${kind.name}-${task.name}`, task.value] as const));
    assert.deepEqual(tasks.map(([label]) => label).sort(), Object.keys(expected).sort());
    for (const [label, value] of tasks) {
      const attributes = Object.fromEntries(Object.entries(expected[label]!.attributes).filter(([key]) => !ADDED.includes(key)));
      assert.deepEqual(value.attributes, attributes, label);
      assert.equal(value.description, expected[label]!.task.metadata.description, label);
    }
    assert.deepEqual(
      (graph.warnings ?? []).map((w) => [w.location?.line, w.message.replace(/ \(first.*/, '')]),
      [
        [55, 'key "description" is written twice in this map'],
        [128, 'key "dup-task" is written twice in this map'],
      ],
    );
  });
});
