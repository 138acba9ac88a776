import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatDiagnostic, type Diagnostic } from '../../../src/transform/diagnostics.js';
import { loadParameters, mozBuildDate } from '../../../src/transform/load/parameters.js';

describe('loadParameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parameters-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fills in taskgraph\'s defaults when nothing is given', () => {
    const diagnostics: Diagnostic[] = [];
    const { params } = loadParameters(undefined, undefined, diagnostics, { now: () => 1_700_000_000 });
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

  it('reads -p values and the file as YAML 1.1, as taskgraph reads parameters', () => {
    const file = join(dir, 'params-yaml11.yml');
    writeFileSync(file, 'optimize_target_tasks: off\nbuild_number: 0x10\n');
    const diagnostics: Diagnostic[] = [];
    const overrides = { enable_always_target: 'no', pushdate: '1_700_000_000', owner: '"yes"', head_tag: 'y' };
    const { params } = loadParameters(file, overrides, diagnostics);
    assert.deepEqual(diagnostics, []);
    assert.equal(params.optimize_target_tasks, false);
    assert.equal(params.build_number, 16);
    assert.equal(params.enable_always_target, false);
    assert.equal(params.pushdate, 1_700_000_000);
    assert.equal(params.owner, 'yes');
    assert.equal(params.head_tag, 'y');
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

  describe('per-repository parameters', () => {
    // gadget is the repository the graph is generated for (project gadget); ci and tools are others.
    const repositories = {
      gadget: { name: 'Gadget', 'project-regex': '^gadget$' },
      ci: { name: 'CI', 'project-regex': '^ci$' },
      tools: { name: 'Tools', 'project-regex': '^tools$' },
    };
    const load = (text: string, overrides?: Record<string, string>, repos: Record<string, unknown> | undefined = repositories) => {
      const file = join(dir, 'repo-params.yml');
      writeFileSync(file, `project: gadget\n${text}`);
      const diagnostics: Diagnostic[] = [];
      const { params } = loadParameters(file, overrides, diagnostics, repos === undefined ? {} : { repositories: repos });
      return { file, params, diagnostics };
    };

    it('are kept, as strings, for each declared repository other than the generated-for one', () => {
      const { params, diagnostics } = load('ci_head_rev: 1234567\nci_head_repository: https://example.com/ci-fork\ntools_repository_type: hg\n');
      assert.deepEqual(diagnostics, []);
      assert.equal(params.ci_head_rev, '1234567');
      assert.equal(params.ci_head_repository, 'https://example.com/ci-fork');
      assert.equal(params.tools_repository_type, 'hg');
      // No defaults are invented for them: the run transform falls back to config.yml.
      assert.equal(params.ci_head_ref, undefined);
    });

    it('-p overrides the file', () => {
      const { params, diagnostics } = load('ci_head_rev: aaaa\n', { ci_head_rev: 'bbbb' });
      assert.deepEqual(diagnostics, []);
      assert.equal(params.ci_head_rev, 'bbbb');
    });

    it('a misspelt field is an unknown key at its place, with the repository\'s nearest parameter', () => {
      const { file, diagnostics } = load('level: "1"\nci_head_rve: abc\n');
      assert.equal(diagnostics.length, 1);
      const [d] = diagnostics;
      assert.equal(formatDiagnostic(d!), `${file}:3:1: ci_head_rve: unknown key "ci_head_rve" (did you mean "ci_head_rev"?)`);
    });

    it('a repository config.yml does not declare is named, with the declared ones', () => {
      const { file, diagnostics } = load('cii_head_rev: abc\n');
      assert.equal(diagnostics.length, 1);
      const [d] = diagnostics;
      assert.equal(d!.message, 'parameter "cii_head_rev" is for a repository "cii", which config.yml does not declare');
      assert.equal(d!.expected, 'a repository of config.yml taskgraph.repositories: gadget, ci, tools');
      assert.equal(d!.hint, 'did you mean "ci_head_rev"?');
      assert.deepEqual(d!.location, { file, line: 2, column: 1 });
    });

    it('one nothing like a declared repository gets no suggestion, and on the command line is located there', () => {
      const { diagnostics } = load('', { zzzz_head_rev: 'abc' });
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0]!.hint, undefined);
      assert.deepEqual(diagnostics[0]!.location, { file: '<command line: -p zzzz_head_rev=abc>', line: 1, column: 1 });
    });

    it('the generated-for repository takes the unprefixed parameters', () => {
      const { file, diagnostics } = load('head_rev: abc\ngadget_head_rev: abc\n');
      assert.equal(diagnostics.length, 1);
      const [d] = diagnostics;
      assert.match(d!.message, /^parameter "gadget_head_rev" is for gadget, the repository the graph is generated for \(its project-regex matches the project "gadget"\)/);
      assert.equal(d!.expected, 'the unprefixed parameter "head_rev"');
      assert.deepEqual(d!.location, { file, line: 3, column: 1 });
    });

    it('with one repository, that one is the generated-for one, whatever the project', () => {
      const { diagnostics } = load('gadget_head_ref: main\n', undefined, { gadget: { name: 'Gadget' } });
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0]!.expected, 'the unprefixed parameter "head_ref"');
    });

    it('when config.yml declares no repositories, each is an error saying so', () => {
      const { diagnostics } = load('ci_head_rev: abc\n', undefined, {});
      assert.equal(diagnostics.length, 1);
      assert.match(diagnostics[0]!.message, /is for a repository "ci", but config\.yml declares no repositories \(taskgraph\.repositories\)/);
    });

    it('when config.yml could not be read, only the schema speaks', () => {
      const { diagnostics } = load('ci_head_rev: abc\nci_repository_type: svn\n', undefined, undefined);
      assert.deepEqual(
        diagnostics.map((d) => [d.path?.join('.'), d.message]),
        [['ci_repository_type', 'the string "svn" is not an allowed value']],
      );
    });

    it('values of the wrong type are located schema errors', () => {
      const { file, diagnostics } = load('ci_head_repository: [a]\ntools_repository_type: svn\n');
      assert.deepEqual(
        diagnostics.map((d) => [d.location?.line, d.path?.join('.'), d.expected]),
        [
          [2, 'ci_head_repository', 'a string'],
          [3, 'tools_repository_type', 'one of: "git", "hg"'],
        ],
      );
      assert.equal(diagnostics[0]!.location?.file, file);
    });
  });

  it('formats moz_build_date in UTC', () => {
    assert.equal(mozBuildDate(0), '19700101000000');
  });
});
