import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../../src/transform/diagnostics.js';
import { parseYamlText } from '../../../src/transform/load/yaml-document.js';
import { nearestKey, validateValue } from '../../../src/transform/validate/validate-schema.js';

function check(schemaId: string, text: string, prefix: (string | number)[] = []) {
  const { value, source } = parseYamlText(text, 'in.yml');
  let target: any = value;
  for (const p of prefix) target = target[p];
  return validateValue(schemaId, target, source, prefix);
}

const WORKER = (body: string) => `worker:\n${body.replace(/^/gm, '  ')}\n`;

describe('validateValue', () => {
  it('accepts a valid docker-worker description', () => {
    const text = WORKER(
      [
        'docker-image: {in-tree: base}',
        'max-run-time: 600',
        'command: [run-task, --, make]',
        'env: {A: x, B: {task-reference: "<build>"}}',
        'caches: [{type: persistent, name: cargo, mount-point: /cargo, skip-untrusted: true}]',
        'artifacts: [{type: directory, name: public/build, path: /out}]',
      ].join('\n'),
    );
    assert.deepEqual(check('docker-worker-description', text, ['worker']), []);
  });

  it('reports a wrong type with the value found and the type expected, located at the value', () => {
    const [d, ...rest] = check('docker-worker-description', WORKER('docker-image: x\nmax-run-time: "10 minutes"'), ['worker']);
    assert.equal(rest.length, 0);
    assert.deepEqual(d!.path, ['worker', 'max-run-time']);
    assert.deepEqual(d!.location, { file: 'in.yml', line: 3, column: 17 });
    assert.equal(d!.message, 'wrong type: found the string "10 minutes"');
    assert.equal(d!.expected, 'an integer');
  });

  it('reports an unknown key at the key, with the nearest allowed key, and not also as missing', () => {
    const diagnostics = check('docker-worker-description', WORKER('docker-image: x\nmax-runtime: 10'), ['worker']);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d!.message, 'unknown key "max-runtime"');
    assert.equal(d!.hint, 'did you mean "max-run-time"?');
    assert.equal(d!.expected, undefined);
    assert.deepEqual(d!.location, { file: 'in.yml', line: 3, column: 3 });
    assert.equal(formatDiagnostic(d!), 'in.yml:3:3: worker.max-runtime: unknown key "max-runtime" (did you mean "max-run-time"?)');
  });

  it('offers keys known from other input (rootKeys) as the nearest key at the root only', () => {
    const { value, source } = parseYamlText('level: "1"\nwidget_flavor: x\ncode_review: {phabricator_build_target: t, widget_flavor: y}', 'in.yml');
    const [root, nested] = validateValue('parameters', value, source, [], { rootKeys: ['widget_flavour'] });
    assert.equal(root!.hint, 'did you mean "widget_flavour"?');
    assert.deepEqual(root!.location, { file: 'in.yml', line: 2, column: 1 });
    assert.deepEqual(nested!.path, ['code_review', 'widget_flavor']);
    assert.equal(nested!.hint, undefined);
    assert.equal(nested!.expected, 'one of the keys: phabricator_build_target');
  });

  it('takes two swapped letters for a nearer typo than two changed ones, whatever the order of the keys', () => {
    assert.equal(nearestKey('ci_head_rve', ['ci_head_ref', 'ci_head_rev']), 'ci_head_rev');
    assert.equal(nearestKey('ci_head_rve', ['ci_head_rev', 'ci_head_ref']), 'ci_head_rev');
    // Plain edits still decide first: one change beats one swap's two.
    assert.equal(nearestKey('ci_head_rex', ['ci_head_rev', 'ci_head_erx']), 'ci_head_rev');
  });

  it('lists the allowed keys instead when an unknown key is nothing like them', () => {
    const [d] = check('docker-worker-description', WORKER('docker-image: x\nmax-run-time: 1\nzzzzqqqq: 1'), ['worker']);
    assert.equal(d!.hint, undefined);
    assert.match(d!.expected!, /^one of the keys: implementation, os, docker-image, max-run-time, /);
  });

  it('reports a missing required key at the key of the map that lacks it', () => {
    const [d] = check('docker-worker-description', WORKER('max-run-time: 1'), ['worker']);
    assert.equal(d!.message, 'missing required key "docker-image"');
    assert.deepEqual(d!.path, ['worker']);
    assert.deepEqual(d!.location, { file: 'in.yml', line: 1, column: 1 });
  });

  it('lists the allowed values of an enum', () => {
    const [d] = check('docker-worker-description', WORKER('docker-image: x\nmax-run-time: 1\nartifacts: [{type: dir, name: a, path: b}]'), ['worker']);
    assert.deepEqual(d!.path, ['worker', 'artifacts', 0, 'type']);
    assert.equal(d!.expected, 'one of: "file", "directory"');
    assert.equal(d!.message, 'the string "dir" is not an allowed value');
  });

  it('names the pattern a string must match', () => {
    const [d] = check('docker-worker-description', WORKER('docker-image: x\nmax-run-time: 1\nvolumes: [relative/path]'), ['worker']);
    assert.equal(d!.expected, 'a string matching /^//');
  });

  describe('alternatives (anyOf) are collapsed to the relevant one', () => {
    it('a value of none of the alternatives\' types gives one error listing them', () => {
      const diagnostics = check('docker-worker-description', WORKER('docker-image: 5\nmax-run-time: 1'), ['worker']);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0]!.message, 'wrong type: found the number 5');
      assert.equal(diagnostics[0]!.expected, 'a string or a map');
    });

    it('a map that fits one alternative but for a nested value reports only that value', () => {
      const diagnostics = check('docker-worker-description', WORKER('docker-image: {in-tree: 5}\nmax-run-time: 1'), ['worker']);
      assert.deepEqual(
        diagnostics.map((d) => [d.path, d.message]),
        [[['worker', 'docker-image', 'in-tree'], 'wrong type: found the number 5']],
      );
    });

    it('a misspelt key of an alternative gets a suggestion from that alternative', () => {
      const diagnostics = check('docker-worker-description', WORKER('docker-image: {in_tree: base}\nmax-run-time: 1'), ['worker']);
      assert.equal(diagnostics.find((d) => d.message.startsWith('unknown key'))?.hint, 'did you mean "in-tree"?');
      assert.ok(diagnostics.every((d) => !d.message.includes('indexed')));
    });

    it('generic-worker mounts: the closest form is explained', () => {
      const text = WORKER(
        [
          'command: [[make]]',
          'max-run-time: 10',
          'mounts:',
          '  - {cache-name: deps, directory: deps}',
          '  - {file: data.json, content: {url: 5}}',
          '  - {directory: src, content: {artifact: a.tar.gz, task-id: {task-reference: "<b>"}}, format: tgz}',
        ].join('\n'),
      );
      const diagnostics = check('generic-worker-description', text, ['worker']);
      assert.deepEqual(
        diagnostics.map((d) => [d.path, d.message]),
        [
          [['worker', 'mounts', 1, 'content', 'url'], 'wrong type: found the number 5'],
          [['worker', 'mounts', 2, 'format'], 'the string "tgz" is not an allowed value'],
        ],
      );
    });

    it('generic-worker command: a list of lists or a list of strings', () => {
      assert.deepEqual(check('generic-worker-description', WORKER('command: [[a, b], [c]]\nmax-run-time: 1'), ['worker']), []);
      assert.deepEqual(check('generic-worker-description', WORKER('command: [a b, c]\nmax-run-time: 1'), ['worker']), []);
      const [d] = check('generic-worker-description', WORKER('command: [[a, 1]]\nmax-run-time: 1'), ['worker']);
      assert.deepEqual(d!.path, ['worker', 'command', 0, 1]);
    });
  });

  it('reports every problem, ordered by position', () => {
    const text = WORKER('docker-image: x\nmax-run-time: -1\nenv: {A: [1]}\ncaches: [{type: persistent, name: "a b", mount-point: /c}]\nallow-ptrace: "yes"');
    const lines = check('docker-worker-description', text, ['worker']).map((d) => d.location!.line);
    assert.deepEqual(lines, [3, 4, 5, 6]);
  });

  it('checks the graph config, parameters and kind schemas too', () => {
    assert.equal(check('graph-config', 'trust-domain: x\nworkers: {aliases: {a: {provisioner: p, implementation: docker-worker, os: linux, worker-type: t}}}').length, 0);
    assert.equal(check('parameters', 'level: "1"\nbuild_date: 5').length, 0);
    const [d] = check('kind', 'tasks: {}\ntask-default: {}');
    assert.equal(d!.hint, 'did you mean "task-defaults"?');
  });
});
