// What a user sees when something is wrong: a located message, exit status 1,
// no stack trace, and nothing on disk replaced by a failed run.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixtureRoot, fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-errors-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the fixture tree with one file replaced. */
function treeWith(name: string, file: string, text: string): string {
  const root = join(scratch, name);
  cpSync(fixtureRoot, root, { recursive: true });
  writeFileSync(join(root, file), text);
  return root;
}

/** A copy of the fixture tree with one edit in one file (which must apply). */
function treeWithEdit(name: string, file: string, from: string, to: string): string {
  const text = readFileSync(join(fixtureRoot, file), 'utf8');
  assert.ok(text.includes(from), `${file} does not contain ${from}`);
  return treeWith(name, file, text.replace(from, to));
}

const params = join(fixtures, 'params.yml');

describe('tc-payload generate on bad input', () => {
  test('a YAML syntax error is reported at file:line:column, without a stack trace', () => {
    const root = treeWith('syntax', 'kinds/lint/kind.yml', 'tasks:\n    flake8:\n        description: [unclosed\n');
    const result = runCli(['generate', '--root', root, '--params', params]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`${join(root, 'kinds/lint/kind.yml').replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('an unknown key names the nearest allowed one', () => {
    const root = treeWithEdit('unknown-key', 'kinds/build/linux.yml', "    description: 'Debug build for Linux x86-64'", "    descripton: 'Debug build for Linux x86-64'");
    const result = runCli(['generate', '--root', root, '--params', params]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /kinds\/build\/linux\.yml:2:5: .*descripton.*description/);
  });

  test('an unknown worker alias is located and lists the known ones', () => {
    const root = treeWithEdit('alias', 'kinds/test/kind.yml', 'worker-type: t-macos', 'worker-type: t-macosx');
    const result = runCli(['generate', '--root', root, '--params', params]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /kinds\/test\/kind\.yml:\d+:\d+: .*t-macosx/);
    assert.match(result.stderr, /t-macos\b/);
  });

  test('a dependency on a missing label is located at the dependency', () => {
    const root = treeWithEdit('missing-dep', 'kinds/test/kind.yml', 'build: build-linux64-debug', 'build: build-linux64-debgu');
    const result = runCli(['generate', '--root', root, '--params', params]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /kinds\/test\/kind\.yml:\d+:\d+: .*build-linux64-debgu/);
  });

  test('a failed run leaves an existing --output file untouched', () => {
    const out = join(scratch, 'previous.json');
    writeFileSync(out, '{"previous": true}\n');
    const root = treeWith('keep-output', 'config.yml', 'trust-domain: [\n');
    const result = runCli(['generate', '--root', root, '--params', params, '--output', out]);
    assert.equal(result.status, 1);
    assert.equal(readFileSync(out, 'utf8'), '{"previous": true}\n');
  });

  test('an --output that cannot be written names that file and why', () => {
    const out = join(scratch, 'no-such-dir', 'graph.json');
    const result = runCli(['generate', '--root', fixtureRoot, '--params', params, '--output', out]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `tc-payload: ${out}: cannot write it: the directory ${join(scratch, 'no-such-dir')} does not exist\n`);
    const intoDir = runCli(['generate', '--root', fixtureRoot, '--params', params, '--output', scratch]);
    assert.equal(intoDir.status, 1);
    assert.match(intoDir.stderr, new RegExp(`^tc-payload: ${scratch}: cannot write it: `));
    // Nothing left beside it: the output was written to a temporary file first.
    assert.deepEqual(readdirSync(dirname(scratch)).filter((name) => name.startsWith(`.${basename(scratch)}.`)), []);
  });

  test('a missing root directory says so and what to pass', () => {
    const result = runCli(['generate', '--root', join(scratch, 'nowhere'), '--params', params]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /nowhere/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('usage mistakes name the option', () => {
    const result = runCli(['generate', '--rot', fixtureRoot]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--rot/);
    assert.match(result.stderr, /--help/);
    const command = runCli(['generat']);
    assert.equal(command.status, 1);
    assert.match(command.stderr, /unknown command "generat"/);
  });
});

describe('tc-payload generate --output and --summary', () => {
  test('--output writes the same JSON as standard output', () => {
    const out = join(scratch, 'graph.json');
    const written = runCli(['generate', '--root', fixtureRoot, '--params', params, '--output', out]);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(written.stdout, '');
    const printed = runCli(['generate', '--root', fixtureRoot, '--params', params]);
    assert.equal(readFileSync(out, 'utf8'), printed.stdout);
  });

  test('--summary lists tasks per kind with their caches and volumes', () => {
    const result = runCli(['generate', '--summary', '--root', fixtureRoot, '--params', params]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^20 tasks in 7 kinds \(level 3, project widget, tasks-for github-push\)/);
    assert.match(result.stdout, /^lint: 3 tasks$/m);
    assert.match(result.stdout, /^ {2}lint-flake8 {2}\[docker-worker widget-t\/t-linux\]$/m);
    assert.match(result.stdout, /^ {6}cache {3}\/builds\/worker\/checkouts {2}\(widget-level-3-checkouts-v3-/m);
    assert.match(result.stdout, /^ {6}volume {2}\/builds\/worker\/tooltool$/m);
  });
});

describe('tc-payload generate without parameters', () => {
  test('names the parameters it cannot do without, once, and how to give them', () => {
    // Emptied by hand: without them they would come from the checkout (test/cli/checkout-parameters.test.ts).
    const result = runCli(['generate', '--root', fixtureRoot, '-p', 'head_repository=', '-p', 'head_rev=']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^parameter head_repository is empty, but every task's metadata\.source links/m);
    assert.match(result.stderr, /-p head_repository=/);
    assert.match(result.stderr, /^parameter head_rev is empty/m);
    assert.doesNotMatch(result.stderr, /bug in tc-payload/);
    assert.equal(result.stderr.trim().split('\n').filter((l) => !l.startsWith('note: ')).length, 3, result.stderr);
  });

  test('-p gives them on the command line', () => {
    const result = runCli([
      'generate', '--summary', '--root', fixtureRoot,
      '-p', 'head_repository=https://github.com/example/widget', '-p', 'head_rev=abc123', '-p', 'build_date=1764201600',
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^20 tasks in 7 kinds \(level 3, project widget, tasks-for \(none\)\)/);
  });
});
