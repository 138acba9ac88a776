// taskgraph.transforms.matrix and taskgraph.transforms.chunking through real
// kind trees: the copies they make, their names, attributes and substituted
// fields; and every refusal, located in the kind's YAML.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { kind, oneError, Trees } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

const one = (transforms: string[], body: string) => trees.tree({ 'taskcluster/kinds/k/kind.yml': kind(transforms, body) });
const refused = async (transforms: string[], body: string) => oneError(await trees.errors(one(transforms, body)));

describe('matrix', () => {
  test('one task per combination minus the excluded ones; listed fields (dotted too) substituted, the others keep their braces', async () => {
    const tasks = await trees.generate(
      one(
        ['matrix'],
        `tasks:
  app:
    description: Build {matrix[platform]} {matrix[type]}
    matrix:
      platform: [linux, mac, win]
      type: [opt, debug]
      exclude:
        - {platform: mac, type: debug}
        - {platform: win}
      substitution-fields: [description, worker-type, worker.env]
    worker-type: b-{matrix[platform]}
    attributes: {flavour: '{matrix[type]}'}
    worker:
      docker-image: debian:bookworm-slim
      max-run-time: 600
      env: {PLATFORM: '{matrix[platform]}', '{matrix[type]}_BUILD': '1'}
      command: [make, 'TARGET={matrix[platform]}']
`,
      ),
    );
    assert.deepEqual([...tasks.keys()].sort(), ['k-app-linux-debug', 'k-app-linux-opt', 'k-app-mac-opt']);
    const mac = tasks.get('k-app-mac-opt')!;
    assert.equal((mac.task.metadata as { description: string }).description.split(' ([')[0], 'Build mac opt');
    assert.equal(mac.task.workerType, 'b-mac');
    const payload = mac.task.payload as { env: Record<string, string>; command: string[] };
    assert.equal(payload.env.PLATFORM, 'mac');
    assert.equal(payload.env.opt_BUILD, '1', 'map keys are substituted too');
    assert.deepEqual(payload.command, ['make', 'TARGET={matrix[platform]}']);
    assert.deepEqual(mac.attributes.matrix, { platform: 'mac', type: 'opt' });
    assert.equal(mac.attributes.flavour, '{matrix[type]}', 'attributes were not listed');
  });

  test('without substitution-fields every field is substituted, set-name too; numbers name the copies as Python prints them', async () => {
    const tasks = await trees.generate(
      one(
        ['matrix'],
        `tasks:
  lint:
    description: Lint {matrix[lang]} {{literal}}
    matrix:
      set-name: lint-{matrix[lang]}-v{matrix[version]}
      lang: [py, js]
      version: [3]
    worker-type: b-linux
    worker: {docker-image: 'lint-{matrix[lang]}', max-run-time: 300, command: [lint, '{matrix[lang]}']}
  plain:
    description: no matrix here {braces} stay
    worker-type: b-linux
    worker: {docker-image: debian, max-run-time: 300, command: [x]}
`,
      ),
    );
    assert.deepEqual([...tasks.keys()].sort(), ['k-lint-js-v3', 'k-lint-py-v3', 'k-plain']);
    const py = tasks.get('k-lint-py-v3')!;
    assert.equal((py.task.metadata as { description: string }).description.split(' ([')[0], 'Lint py {literal}');
    assert.deepEqual((py.task.payload as { command: string[] }).command, ['lint', 'py']);
    assert.equal((py.task.payload as { image: string }).image, 'lint-py');
    assert.deepEqual(py.attributes.matrix, { lang: 'py', version: 3 });
    const names = await trees.generate(one(['matrix'], `tasks:\n  t:\n    description: x\n    matrix: {n: [1, 2.5, true]}\n    worker-type: b-linux\n    worker: {docker-image: d, max-run-time: 1, command: [x]}\n`));
    assert.deepEqual([...names.keys()].sort(), ['k-t-1', 'k-t-2.5', 'k-t-True']);
  });

  test('refuses, located: an unknown value, a brace left alone, a missing field, a dimension that is not a list, an exclude that is not a map of strings', async () => {
    const task = (matrix: string, description = 'x') =>
      `tasks:\n  t:\n    description: '${description}'\n    matrix: ${matrix}\n    worker-type: b-linux\n    worker: {docker-image: d, max-run-time: 1, command: [x]}\n`;
    assert.match(
      await refused(['matrix'], task('{os: [linux]}', 'for {matrix[platform]}')),
      /k\/kind\.yml:\d+:18: description: matrix: "\{matrix\[platform\]\}" in "for \{matrix\[platform\]\}": \{'os': 'linux'\} has no entry \[platform\]/,
    );
    assert.match(
      await refused(['matrix'], task('{os: [linux]}', 'echo ${HOME}')),
      /k\/kind\.yml:\d+:18: description: matrix: no value named "HOME" .*\(expected one of the values given here: matrix; write "\{\{" and "\}\}" for braces that are not a substitution\)/,
    );
    assert.match(
      await refused(['matrix'], task('{os: [linux], substitution-fields: [description, worker.env]}')),
      /k\/kind\.yml:\d+:\d+: matrix\.substitution-fields\[1\]: matrix: the task has no field "worker\.env"/,
    );
    assert.match(await refused(['matrix'], task('{os: linux}')), /k\/kind\.yml:\d+:\d+: matrix\.os: wrong type: found the string "linux" \(expected a list\)/);
    assert.match(await refused(['matrix'], task('{os: [linux], exclude: [{os: 1}]}')), /matrix\.exclude\[0\]\.os: wrong type/);
    assert.match(await refused(['matrix'], task('{os: []}')), /matrix\.os: too few entries/);
  });

  test('refuses an entry that would make more than 10,000 copies, before making any', async () => {
    const values = `[${Array.from({ length: 101 }, (_, i) => i).join(', ')}]`;
    const body = `tasks:\n  t:\n    description: x\n    matrix: {a: ${values}, b: ${values}}\n    worker-type: b-linux\n    worker: {docker-image: d, max-run-time: 1, command: [x]}\n`;
    assert.match(await refused(['matrix'], body), /k\/kind\.yml:\d+:\d+: matrix: matrix: 101 × 101 = 10201 combinations, more than the 10000 one entry may make \(split the entry/);
  });
});

describe('chunking', () => {
  const chunked = (chunk: string, extra = '') => `tasks:
  test:
    description: tests
    label: test-{this_chunk}
    treeherder: {symbol: 'c{this_chunk}', platform: linux/opt, kind: test, tier: 1}
    chunk: ${chunk}
    worker-type: b-linux
    worker:
      docker-image: debian
      max-run-time: 60
      env: {CHUNK: '{this_chunk}', TOTAL: '{total_chunks}'}
      command: [run, '{this_chunk}']
${extra}`;

  test('total-chunks copies numbered from 1, with this_chunk and total_chunks as attributes and substituted into the listed fields', async () => {
    const tasks = await trees.generate(one(['chunking'], chunked('{total-chunks: 3, substitution-fields: [label, treeherder.symbol, worker.env]}')));
    assert.deepEqual([...tasks.keys()].sort(), ['test-1', 'test-2', 'test-3']);
    const second = tasks.get('test-2')!;
    assert.equal(second.attributes.this_chunk, 2);
    assert.equal(second.attributes.total_chunks, 3);
    const env = (second.task.payload as { env: Record<string, string> }).env;
    assert.equal(env.CHUNK, '2');
    assert.equal(env.TOTAL, '3');
    assert.deepEqual((second.task.payload as { command: string[] }).command, ['run', '{this_chunk}'], 'worker.command was not listed');
    assert.equal((second.task.extra as { treeherder: { symbol: string } }).treeherder.symbol, 'c2');
  });

  test('total-chunks 0 makes no task; an empty chunk section is no chunking', async () => {
    assert.equal((await trees.generate(one(['chunking'], chunked('{total-chunks: 0}')))).size, 0);
    const tasks = await trees.generate(one(['chunking'], chunked('{}').replace('label: test-{this_chunk}', 'label: test').replace("'c{this_chunk}'", 'c')));
    assert.deepEqual([...tasks.keys()], ['test']);
    assert.equal(tasks.get('test')!.attributes.this_chunk, undefined);
  });

  test('refuses, located: total-chunks that is not an integer (a keyed-by left unresolved too), unknown keys, a missing field', async () => {
    assert.match(await refused(['chunking'], chunked("{total-chunks: '3'}")), /k\/kind\.yml:\d+:\d+: chunk\.total-chunks: wrong type: found the string "3" \(expected an integer\)/);
    assert.match(await refused(['chunking'], chunked('{total-chunks: {by-level: {"3": 2, default: 1}}}')), /chunk\.total-chunks: wrong type: found a map/);
    assert.match(await refused(['chunking'], chunked('{total-chunks: 2, substitution_fields: [label]}')), /chunk\.substitution_fields: unknown key "substitution_fields" \(did you mean "substitution-fields"\?\)/);
    assert.match(await refused(['chunking'], chunked('{substitution-fields: [label]}')), /chunk: missing required key "total-chunks"/);
    assert.match(await refused(['chunking'], chunked('{total-chunks: 100000}')), /chunk\.total-chunks: the number 100000 is too large \(expected a number <= 10000\)/);
    assert.match(
      await refused(['chunking'], chunked('{total-chunks: 2, substitution-fields: [label, routes]}')),
      /k\/kind\.yml:\d+:\d+: chunk\.substitution-fields\[1\]: chunking: the task has no field "routes"/,
    );
  });
});
