// Per-repository parameters through the real CLI, on the short-form fixture
// tree (gadget, generated for, and gadget-tools as `tools`).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixtures, runCli } from './run-cli.js';

const root = join(fixtures, 'short-form');
const level3 = join(root, 'params-level-3.yml');
const scratch = mkdtempSync(join(tmpdir(), 'cli-repo-params-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The level-3 parameters file with `lines` appended; returns its path and the line number of the first. */
function paramsWith(name: string, lines: string): { file: string; line: number } {
  const text = readFileSync(level3, 'utf8');
  const file = join(scratch, `${name}.yml`);
  writeFileSync(file, text + lines);
  return { file, line: text.split('\n').length };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('tc-payload generate with per-repository parameters', () => {
  test('-p tools_head_rev=… reaches TOOLS_HEAD_REV on docker-worker and generic-worker', () => {
    const result = runCli(['generate', '--root', root, '--params', level3, '-p', 'tools_head_rev=0123456789abcdef0123456789abcdef01234567']);
    assert.equal(result.status, 0, result.stderr);
    const graph = JSON.parse(result.stdout) as Record<string, { task: { payload: { env: Record<string, string> } }; kind: string }>;
    for (const label of ['build-linux', 'test-unit']) {
      assert.equal(graph[label]!.task.payload.env.TOOLS_HEAD_REV, '0123456789abcdef0123456789abcdef01234567', label);
    }
  });

  test('--summary works on a tree whose parameters name another repository', () => {
    const result = runCli(['generate', '--summary', '--root', root, '--params', join(root, 'params-level-1.yml')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^8 tasks in 5 kinds \(level 1, project gadget, tasks-for github-pull-request\)/);
    assert.match(result.stdout, /^ {2}build-linux {2}\[docker-worker gadget-1\/b-linux-1\]$/m);
  });

  test('a misspelt field is located in the parameters file, with the nearest parameter of that repository', () => {
    const { file, line } = paramsWith('typo', "tools_head_rve: '1'\n");
    const result = runCli(['generate', '--root', root, '--params', file]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`^${escape(file)}:${line}:1: tools_head_rve: unknown key "tools_head_rve" \\(did you mean "tools_head_rev"\\?\\)$`, 'm'));
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('a repository config.yml does not declare is named with the declared ones, on the command line too', () => {
    const result = runCli(['generate', '--root', root, '--params', level3, '-p', 'toolz_head_rev=1']);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /^<command line: -p toolz_head_rev=1>:1:1: toolz_head_rev: parameter "toolz_head_rev" is for a repository "toolz", which config\.yml does not declare \(expected a repository of config\.yml taskgraph\.repositories: gadget, tools; did you mean "tools_head_rev"\?\)$/m,
    );
  });

  test('the generated-for repository is pointed at its unprefixed parameter', () => {
    const { file, line } = paramsWith('generated-for', "gadget_head_ref: main\n");
    const result = runCli(['generate', '--root', root, '--params', file]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`^${escape(file)}:${line}:1: gadget_head_ref: parameter "gadget_head_ref" is for gadget, the repository the graph is generated for .*\\(expected the unprefixed parameter "head_ref"\\)$`, 'm'));
  });

  test('lint accepts the per-repository parameters at levels 1 and 3', () => {
    const result = runCli(['lint', '--root', root, '--params', join(root, 'params-level-1.yml'), '--params', level3]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
