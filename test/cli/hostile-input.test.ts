// Broken and hostile trees (issue 15): every run ends with a located message
// and exit 1 (or, for a tree taskgraph accepts, exit 0), in bounded time and
// memory; nothing vanishes silently and nothing is reported as our bug.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixtureRoot, fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-hostile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');

/** A repository (with .git) holding a copy of the fixture tree at taskcluster/. */
function repository(name: string): { repo: string; root: string } {
  const repo = join(scratch, name);
  const root = join(repo, 'taskcluster');
  cpSync(fixtureRoot, root, { recursive: true });
  mkdirSync(join(repo, '.git'));
  return { repo, root };
}

function edit(root: string, file: string, from: string, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

const generate = (root: string, ...more: string[]) => runCli(['generate', '--root', root, '--params', params, ...more], { timeoutMs: 60_000 });

/** Exit 1, each error line located (`file:line:column: `), no stack trace. */
function assertLocatedFailure(result: ReturnType<typeof runCli>, file: string, pattern: RegExp): void {
  assert.equal(result.status, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /\n\s+at |internal error|bug in tc-payload/);
  const line = result.stderr.split('\n').find((l) => pattern.test(l));
  assert.ok(line, `no line matches ${pattern}:\n${result.stderr.slice(0, 2000)}`);
  assert.ok(line.startsWith(file + ':'), `not located in ${file}: ${line}`);
  assert.match(line, /^[^:]+:\d+:\d+: /);
}

const LINT_FLAKE8 = "    flake8:\n        description: 'Python style checks'\n";

describe('symbolic links in the tree', () => {
  test('a kind directory that is a link within the repository loads like any kind', () => {
    const { repo, root } = repository('link-inside');
    const plain = JSON.parse(generate(root).stdout) as Record<string, unknown>;
    cpSync(join(root, 'kinds', 'lint'), join(repo, 'shared-kinds', 'lint'), { recursive: true });
    rmSync(join(root, 'kinds', 'lint'), { recursive: true });
    symlinkSync('../../shared-kinds/lint', join(root, 'kinds', 'lint'));
    const result = generate(root);
    assert.equal(result.status, 0, result.stderr);
    const linked = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(linked).sort(), Object.keys(plain).sort());
    assert.ok('lint-flake8' in linked);
  });

  test('a link that leaves the repository, loops or dangles is a located error, not a silent drop', () => {
    const { root } = repository('link-outside');
    const outside = join(scratch, 'outside-kind');
    cpSync(join(root, 'kinds', 'lint'), outside, { recursive: true });
    symlinkSync(outside, join(root, 'kinds', 'elsewhere'));
    symlinkSync('loop-b', join(root, 'kinds', 'loop-a'));
    symlinkSync('loop-a', join(root, 'kinds', 'loop-b'));
    symlinkSync('nothing-here', join(root, 'kinds', 'dangling'));
    const result = generate(root);
    assertLocatedFailure(result, join(root, 'kinds', 'elsewhere'), /kind "elsewhere" leads to .*outside-kind, outside the repository/);
    assertLocatedFailure(result, join(root, 'kinds', 'loop-a'), /kind "loop-a" is a symbolic link that loops/);
    assertLocatedFailure(result, join(root, 'kinds', 'dangling'), /kind "dangling" is a symbolic link to nothing-here, which does not exist/);
  });

  test('a tasks-from file outside the repository is refused at its tasks-from entry', () => {
    const { root } = repository('tasks-from-outside');
    writeFileSync(join(scratch, 'stolen.yml'), 'x: {description: y}\n');
    edit(root, 'kinds/build/kind.yml', 'tasks-from:\n', `tasks-from:\n    - ../../../../stolen.yml\n`);
    const result = generate(root);
    assertLocatedFailure(result, join(root, 'kinds/build/kind.yml'), /tasks-from file "\.\.\/\.\.\/\.\.\/\.\.\/stolen\.yml" leads to .*stolen\.yml, outside the repository/);
  });
});

describe('limits', () => {
  test('a 500-byte alias bomb stops quickly with a located error naming the limit and its option', () => {
    const { root } = repository('alias-bomb');
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const file = join(root, 'kinds/lint/kind.yml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}meta:\n${levels.map((l) => `    ${l}`).join('\n')}\n`);
    const started = Date.now();
    const result = generate(root);
    assert.ok(Date.now() - started < 20_000);
    assertLocatedFailure(result, file, /expands to more than 2000000 values .*--max-yaml-nodes/);
    // The option moves the limit, and says so.
    assertLocatedFailure(generate(root, '--max-yaml-nodes', '1000'), file, /more than 1000 values/);
  });

  test('too many aliases, a document nested too deep, and a file too big each name their limit', () => {
    const { root } = repository('limits');
    const file = join(root, 'kinds/lint/kind.yml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text}meta:\n    a: &a {k: v}\n    b: [${Array(20).fill('*a').join(', ')}]\n`);
    assertLocatedFailure(generate(root, '--max-yaml-aliases', '10'), file, /uses aliases more than 10 times .*--max-yaml-aliases/);
    writeFileSync(file, `${text}meta: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    assertLocatedFailure(generate(root), file, /nested more than 200 levels deep .*--max-yaml-depth/);
    writeFileSync(file, text);
    const tooBig = generate(root, '--max-file-size', '1K');
    assert.equal(tooBig.status, 1);
    assert.match(tooBig.stderr, /kind\.yml is \d+ bytes, more than the limit of 1024 bytes for one input file .*--max-file-size/);
  });

  test('the output size limit refuses a graph bigger than it, and writes nothing', () => {
    const { root } = repository('output-limit');
    const output = join(scratch, 'output-limit.json');
    writeFileSync(output, 'kept');
    const result = generate(root, '--max-output-size', '2K', '--output', output);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /the output is \d+ bytes, over the limit of 2048 bytes \(--max-output-size\)/);
    assert.equal(readFileSync(output, 'utf8'), 'kept');
  });

  test('lint takes the same limits, and reports one exceeded as a located finding', () => {
    const result = runCli(['lint', '--root', fixtureRoot, '--params', params, '--max-yaml-nodes', '50', '--format', 'json'], { timeoutMs: 60_000 });
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { message: string; location?: { file: string; line: number } }[] };
    const finding = report.findings.find((f) => /holds more than 50 values \(the limit\)/.test(f.message));
    assert.ok(finding, result.stdout.slice(0, 2000));
    assert.ok(finding.location && finding.location.line >= 1);
  });

  test('a bad limit value is a usage error', () => {
    const result = runCli(['generate', '--max-yaml-depth', '10K']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--max-yaml-depth takes a whole number above 0, not "10K"/);
  });
});

describe('only regular UTF-8 files are read', () => {
  test('bytes that are not UTF-8 are located at the first bad byte', () => {
    const { root } = repository('latin1');
    const file = join(root, 'kinds/lint/kind.yml');
    const text = readFileSync(file, 'utf8').replace("'Python style checks'", "'Python caf\u00e9 checks'");
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const line = text.split('\n').findIndex((l) => l.includes('caf')) + 1;
    const column = text.split('\n')[line - 1]!.indexOf('\u00e9') + 1;
    const result = generate(root);
    assertLocatedFailure(result, file, /is not UTF-8: byte 0xe9/);
    assert.match(result.stderr, new RegExp(`kind\\.yml:${line}:${column}: `));
  });

  test('a kind.yml that is a FIFO and --params /dev/zero are refused at once', () => {
    const { root } = repository('fifo');
    const file = join(root, 'kinds/lint/kind.yml');
    rmSync(file);
    execFileSync('mkfifo', [file]);
    const fifo = generate(root);
    assert.equal(fifo.status, 1);
    assert.match(fifo.stderr, /cannot read .*kind\.yml: it is a FIFO, and only regular files are read/);
    const zero = runCli(['generate', '--root', fixtureRoot, '--params', '/dev/zero'], { timeoutMs: 60_000 });
    assert.equal(zero.status, 1);
    assert.match(zero.stderr, /cannot read \/dev\/zero: it is a device, and only regular files are read/);
  });
});

describe('generate refuses dependency cycles, naming them', () => {
  test('a task that depends on itself', () => {
    const { root } = repository('self-dependency');
    edit(root, 'kinds/lint/kind.yml', LINT_FLAKE8, `${LINT_FLAKE8}        dependencies: {myself: lint-flake8}\n`);
    for (const extra of [[], ['--resolve', '--seed', 's']]) {
      const result = generate(root, ...extra);
      assertLocatedFailure(result, join(root, 'kinds/lint/kind.yml'), /dependency cycle: task lint-flake8 depends on itself/);
    }
  });

  test('tasks that depend on each other in a circle', () => {
    const { root } = repository('cycle');
    edit(root, 'kinds/lint/kind.yml', LINT_FLAKE8, `${LINT_FLAKE8}        dependencies: {next: lint-shellcheck}\n`);
    edit(root, 'kinds/lint/kind.yml', '    shellcheck:\n', '    shellcheck:\n        dependencies: {next: lint-flake8}\n');
    for (const jobs of ['1', '2']) {
      const result = generate(root, '--jobs', jobs);
      assertLocatedFailure(result, join(root, 'kinds/lint/kind.yml'), /dependency cycle: lint-flake8 → lint-shellcheck → lint-flake8 \(/);
    }
  });
});

describe('messages', () => {
  test('a description too long for Taskcluster is the user\'s, located, not "a bug"', () => {
    const { root } = repository('long-description');
    edit(root, 'kinds/lint/kind.yml', "'Python style checks'", `'${'x'.repeat(40_000)}'`);
    assertLocatedFailure(generate(root), join(root, 'kinds/lint/kind.yml'), /description: the string "x+\.\.\." is too long \(expected at most 32768 characters\)/);
  });

  test('--seed must not be empty (an unset variable)', () => {
    const result = runCli(['generate', '--resolve', '--seed', '']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--seed needs a non-empty text/);
  });

  test('no arguments prints the usage on standard error and exits 2', () => {
    const result = runCli([]);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Usage: tc-payload <command>/);
  });

  test('lint shows one source line of context, cut to a sensible width', () => {
    const { root } = repository('long-line');
    const junk = 'y'.repeat(100_000);
    edit(root, 'kinds/lint/kind.yml', "    flake8:\n        description: 'Python style checks'\n", `    flake8:\n        description: {wrong: '${junk}'}\n`);
    const result = runCli(['lint', '--root', root, '--params', params], { timeoutMs: 60_000 });
    assert.equal(result.status, 1);
    assert.ok(result.stdout.length < 5_000, `lint wrote ${result.stdout.length} characters`);
    const excerpt = result.stdout.split('\n').filter((l) => /^\s+\d+ \| /.test(l));
    assert.ok(excerpt.length >= 1);
    for (const l of excerpt) assert.ok(l.length < 140, l);
  });
});
