// Validation problems as findings: every one of every configuration, each
// with its place, the nearest allowed key, and the levels that show it (a
// keyed-by value can be wrong at one level only).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lint } from '../../src/lint/lint.js';
import { RULES } from '../../src/lint/rules.js';
import { runCli } from '../cli/run-cli.js';
import { kindFile, nearMiss, params, repoRoot } from './lint-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'lint-levels-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('generator errors as findings', () => {
  test('a keyed-by value that is wrong at level 1 only is reported for level 1, and the level 3 checks still run', async () => {
    const root = join(scratch, 'by-level');
    cpSync(nearMiss(RULES.cacheWithoutRunTask.id), root, { recursive: true });
    const file = kindFile(root);
    const text = readFileSync(file, 'utf8')
      .replace('        max-run-time: 600\n', "        max-run-time:\n            by-level:\n                '3': 600\n                default: ten minutes\n")
      .replace("            command: [bash, -c, make]", '            caches:\n                - {type: persistent, name: cargo, mount-point: /builds/worker/.cargo}\n            volumes: [/builds/worker/.cargo]\n            command: [bash, -c, make]');
    writeFileSync(file, text);
    const result = await lint({ root, paramsFiles: [params] });
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.severity, f.configurations]),
      [
        [RULES.invalidTaskDefinition.id, 'error', ['params.yml, level 1']],
        [RULES.cacheWithoutRunTask.id, 'warning', ['params.yml, level 3']],
      ],
    );
    assert.equal(result.findings[0]!.location?.file, file);
    assert.deepEqual(result.findings[0]!.path, ['worker', 'max-run-time']);
  });

  test('every validation error of the tree, each with its excerpt and the nearest allowed key', () => {
    const root = join(repoRoot, 'taskgraph-fixtures', 'broken', 'unknown-key');
    const result = runCli(['lint', '--root', root, '--params', params]);
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      /^taskgraph-fixtures\/broken\/unknown-key\/kinds\/build\/kind\.yml:4:9: error invalid-task-definition: descripton: unknown key "descripton"\n {2}4 \| {9}descripton: says hello\n {4}\| {9}\^\n {2}= hint: did you mean "description"\?\n/,
    );
    assert.match(result.stdout, /kind\.yml:8:13: error invalid-task-definition: worker\.max-runtime: unknown key "max-runtime"\n/);
    assert.match(result.stdout, /= hint: did you mean "max-run-time"\?/);
    assert.match(result.stdout, /tc-payload lint: 2 errors, 0 warnings/);
  });
});
