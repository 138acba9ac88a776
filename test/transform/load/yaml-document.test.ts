import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnosticsOf } from '../diagnostics-of.js';
import { DiagnosticsError } from '../../../src/transform/diagnostics.js';
import { fileSource, locateKey, subSource } from '../../../src/transform/load/source-map.js';
import { parseYamlFile, parseYamlText } from '../../../src/transform/load/yaml-document.js';

const TEXT = `# a comment
tasks:
  build:
    description: builds
    worker:
      env: {A: '1', B: two}
      command:
        - run-task
        - --
        - make
  test:
    description: >-
      folded
      text
base: &base {image: debian}
derived:
  <<: *base
  extra: 1
`;

describe('parseYamlText', () => {
  const { value, source } = parseYamlText(TEXT, 'kind.yml');

  it('gives the plain value', () => {
    assert.deepEqual((value as any).tasks.build.worker.command, ['run-task', '--', 'make']);
    assert.equal((value as any).tasks.test.description, 'folded text');
    assert.deepEqual((value as any).derived, { image: 'debian', extra: 1 });
  });

  it('locates values of map keys and list items (1-based line and column)', () => {
    assert.deepEqual(source.locate(['tasks', 'build', 'description']), { file: 'kind.yml', line: 4, column: 18 });
    assert.deepEqual(source.locate(['tasks', 'build', 'worker', 'command', 2]), { file: 'kind.yml', line: 10, column: 11 });
    assert.deepEqual(source.locate(['tasks', 'build', 'worker', 'env', 'B']), { file: 'kind.yml', line: 6, column: 24 });
  });

  it('locates keys with locateKey', () => {
    assert.deepEqual(locateKey(source, ['tasks', 'build', 'worker']), { file: 'kind.yml', line: 5, column: 5 });
    assert.deepEqual(source.locate(['tasks', 'build', 'worker']), { file: 'kind.yml', line: 6, column: 7 });
  });

  it('falls back to the nearest ancestor for paths that do not exist', () => {
    assert.deepEqual(source.locate(['tasks', 'build', 'worker', 'max-run-time']), { file: 'kind.yml', line: 6, column: 7 });
    assert.deepEqual(source.locate(['tasks', 'build', 'worker', 'command', 7]), { file: 'kind.yml', line: 8, column: 9 });
    assert.deepEqual(source.locate(['nothing', 'here']), { file: 'kind.yml', line: 2, column: 1 });
  });

  it('follows merge keys into the anchored map', () => {
    assert.deepEqual(source.locate(['derived', 'image']), { file: 'kind.yml', line: 15, column: 21 });
    assert.deepEqual(source.locate(['derived', 'extra']), { file: 'kind.yml', line: 18, column: 10 });
  });

  it('subSource prefixes paths', () => {
    const task = subSource(source, ['tasks', 'build']);
    assert.deepEqual(task.locate(['description']), source.locate(['tasks', 'build', 'description']));
    assert.deepEqual(locateKey(task, ['worker']), locateKey(source, ['tasks', 'build', 'worker']));
  });

  it('fileSource places everything at file:1:1', () => {
    assert.deepEqual(fileSource('gen').locate(['a', 3]), { file: 'gen', line: 1, column: 1 });
  });
});

describe('YAML errors', () => {
  const yamlErrors = (text: string) => diagnosticsOf(() => parseYamlText(text, 'bad.yml'));

  it('reports a syntax error at its line and column, once per line', () => {
    const diagnostics = yamlErrors('tasks:\n    a:\n        x: 1\n       y: 2\n');
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!.message, /^YAML syntax error: All mapping items must start at the same column/);
    assert.deepEqual(diagnostics[0]!.location, { file: 'bad.yml', line: 4, column: 1 });
  });

  it('keeps the last of a key written twice, as PyYAML does, with a warning at the second', () => {
    const { value, warnings } = parseYamlText('a: 1\nb: {x: 1, x: 2}\na: 3\n', 'dup.yml');
    assert.deepEqual(value, { a: 3, b: { x: 2 } });
    assert.deepEqual(
      warnings.map((w) => [w.severity, w.location, w.message]),
      [
        ['warning', { file: 'dup.yml', line: 2, column: 11 }, 'key "x" is written twice in this map (first at line 2, column 5); the last one is used, as taskgraph does'],
        ['warning', { file: 'dup.yml', line: 3, column: 1 }, 'key "a" is written twice in this map (first at line 1, column 1); the last one is used, as taskgraph does'],
      ],
    );
  });

  it('counts keys that are written differently but mean the same as written twice (on and true)', () => {
    const { value, warnings } = parseYamlText('on: push\ntrue: pull\n', 'dup.yml');
    assert.deepEqual(value, { true: 'pull' });
    assert.equal(warnings[0]!.location?.line, 2);
  });

  it('reports tabs used for indentation', () => {
    const [diagnostic] = yamlErrors('a:\n\tb: 1\n');
    assert.equal(diagnostic!.location?.line, 2);
  });
});

describe('parseYamlFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yaml-document-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and locates into it', () => {
    const file = join(dir, 'params.json');
    writeFileSync(file, '{\n  "level": "1",\n  "project": "x"\n}\n');
    const { value, source } = parseYamlFile(file);
    assert.deepEqual(value, { level: '1', project: 'x' });
    assert.deepEqual(source.locate(['project']), { file, line: 3, column: 14 });
  });

  it('says which file cannot be read', () => {
    const missing = join(dir, 'missing.yml');
    assert.throws(() => parseYamlFile(missing), (error: unknown) => {
      assert.ok(error instanceof DiagnosticsError);
      assert.equal(error.diagnostics[0]!.message, `cannot read ${missing}: no such file`);
      return true;
    });
  });
});

describe('the fast reader and the positions reader agree', () => {
  it('on empty documents and comment-only files (null)', () => {
    assert.equal(parseYamlText('', 'e.yml').value, null);
    assert.equal(parseYamlText('# nothing here\n', 'e.yml').value, null);
  });

  it('on the scalars a kind file uses', () => {
    const text = [
      'level: 3',
      'quoted: "3"',
      'octal: 017',
      'octal-1-2: 0o17',
      'hex: 0x1f',
      'float: 1.5e+3',
      'not-a-float: 1.5e3',
      'yes: yes',
      'off: on',
      'bools: [true, false, True]',
      'nulls: [~, null, ]',
      'folded: >-\n  a\n  b',
      'literal: |\n  x\n  y',
      '3: numeric key',
      'anchored: &a {k: v}',
      'merged: {<<: *a, j: w}',
    ].join('\n');
    const fast = parseYamlText(text, 'a.yml');
    assert.deepEqual(fast.warnings, []);
    // A key written twice sends the file to the positions reader.
    const slow = parseYamlText(`${text}\nlevel: 3\n`, 'a.yml');
    assert.equal(slow.warnings.length, 1);
    assert.deepEqual(fast.value, slow.value);
    assert.deepEqual(fast.value, {
      level: 3,
      quoted: '3',
      octal: 15,
      'octal-1-2': '0o17',
      hex: 31,
      float: 1500,
      'not-a-float': '1.5e3',
      true: true,
      false: true,
      bools: [true, false, true],
      nulls: [null, null],
      folded: 'a b',
      literal: 'x\ny\n',
      '3': 'numeric key',
      anchored: { k: 'v' },
      merged: { k: 'v', j: 'w' },
    });
  });
});
