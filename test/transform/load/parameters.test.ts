import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from '../../../src/transform/diagnostics.js';
import { loadParameters, mozBuildDate } from '../../../src/transform/load/parameters.js';

describe('loadParameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parameters-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fills in taskgraph\'s defaults when nothing is given', () => {
    const diagnostics: Diagnostic[] = [];
    const { params } = loadParameters(undefined, undefined, diagnostics, () => 1_700_000_000);
    assert.deepEqual(diagnostics, []);
    assert.equal(params.level, '3');
    assert.equal(params.build_date, 1_700_000_000);
    assert.equal(params.pushdate, 1_700_000_000);
    assert.equal(params.moz_build_date, '20231114221320');
    assert.equal(params.owner, 'nobody@mozilla.com');
    assert.equal(params.repository_type, 'git');
    assert.equal(params.tasks_for, '');
    assert.equal(params.pushlog_id, '0');
    assert.equal(params.target_tasks_method, 'default');
    assert.deepEqual(params.filters, ['target_tasks_method']);
  });

  it('uses the current time for build_date only when it is not given', () => {
    const before = Math.floor(Date.now() / 1000);
    const { params } = loadParameters(undefined, undefined, []);
    assert.ok(params.build_date >= before && params.build_date <= before + 5);
  });

  it('reads a YAML file, applies -p overrides as YAML scalars, keeps string parameters strings', () => {
    const file = join(dir, 'params.yml');
    writeFileSync(file, 'level: 3\nhead_repository: https://github.com/example/widget.git\nhead_rev: abc\nbuild_date: 1\n');
    const diagnostics: Diagnostic[] = [];
    const { params } = loadParameters(file, { level: '1', build_date: '1764201600', pushlog_id: '12', tasks_for: 'github-pull-request' }, diagnostics);
    assert.deepEqual(diagnostics, []);
    assert.equal(params.level, '1');
    assert.equal(params.pushlog_id, '12');
    assert.equal(params.build_date, 1764201600);
    assert.equal(params.moz_build_date, '20251127000000');
    assert.equal(params.tasks_for, 'github-pull-request');
    // Derived defaults, as taskgraph derives them from the repository.
    assert.equal(params.project, 'widget');
    assert.equal(params.head_ref, 'abc');
    assert.equal(params.base_repository, 'https://github.com/example/widget.git');
  });

  it('reads a JSON file', () => {
    const file = join(dir, 'params.json');
    writeFileSync(file, JSON.stringify({ level: '2', project: 'p', build_date: 10 }));
    const { params } = loadParameters(file, undefined, []);
    assert.deepEqual([params.level, params.project, params.build_date], ['2', 'p', 10]);
  });

  it('reports bad values where they were written: in the file or on the command line', () => {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'level: "4"\nprojcet: x\n');
    const diagnostics: Diagnostic[] = [];
    loadParameters(file, { build_date: 'tomorrow' }, diagnostics);
    assert.deepEqual(
      diagnostics.map((d) => [d.location?.file, d.location?.line, d.path?.join('.'), d.hint]),
      [
        [file, 1, 'level', undefined],
        [file, 2, 'projcet', 'did you mean "project"?'],
        ['<command line: -p build_date=tomorrow>', 1, 'build_date', undefined],
      ],
    );
  });

  it('reports a parameters file that does not exist', () => {
    const diagnostics: Diagnostic[] = [];
    loadParameters(join(dir, 'nope.yml'), undefined, diagnostics);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!.message, /parameters file .*nope\.yml does not exist/);
  });

  it('formats moz_build_date in UTC', () => {
    assert.equal(mozBuildDate(0), '19700101000000');
  });
});
