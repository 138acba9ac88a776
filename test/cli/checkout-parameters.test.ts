// Without --params, `lint` and `generate` take the repository parameters from
// the git checkout that contains the root, as taskgraph does; outside a
// checkout they use placeholders; and the report says which values it used.
// Real repositories: an upstream made with `git init`, cloned from its path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { JsonReport } from '../../src/lint/format/json.js';
import { PLACEHOLDER_REPOSITORY, PLACEHOLDER_REVISION } from '../../src/transform/load/checkout-parameters.js';
import { fixtureRoot, fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'checkout-params-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

interface Task {
  task: { metadata: { source: string }; payload: { env?: Record<string, string> } };
}

let upstream: string;
let clone: string;
let revision: string;

before(() => {
  upstream = join(scratch, 'upstream');
  cpSync(fixtureRoot, join(upstream, 'taskcluster'), { recursive: true });
  writeFileSync(join(upstream, 'version.txt'), '4.2.0\nignored\n');
  git(scratch, 'init', '--quiet', upstream);
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '--quiet', '-m', 'the tree');
  revision = git(upstream, 'rev-parse', 'HEAD');
  clone = join(scratch, 'clone');
  git(scratch, 'clone', '--quiet', upstream, clone);
});

describe('lint --root with nothing else', () => {
  test('works in a fresh clone: the revision and branch of the checkout, and a note saying so', () => {
    const result = runCli(['lint', '--root', 'taskcluster'], { cwd: clone });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^tc-payload lint: 0 errors, \d+ warnings? \(checked level 1; level 3\)$/m);
    const note = /^note: (.*)$/m.exec(result.stdout)?.[1] ?? '';
    assert.match(note, new RegExp(`^no --params: repository parameters from the git checkout ${clone}: `));
    assert.ok(note.includes(`head_rev=${revision}`), note);
    assert.ok(note.includes('head_ref=main'), note);
    // The clone's origin is a local path, which no task could fetch: a placeholder, named as one.
    assert.ok(note.includes(`head_repository=${PLACEHOLDER_REPOSITORY}`), note);
    assert.ok(note.includes(`placeholders: head_repository, base_repository, as origin ${upstream} is not the URL of a hosted repository`), note);
  });

  test('outside any checkout: placeholders, and the JSON report says so', () => {
    const bare = join(scratch, 'no-checkout');
    cpSync(fixtureRoot, bare, { recursive: true });
    const result = runCli(['lint', '--root', bare, '--format', 'json'], { cwd: scratch });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.equal(report.summary.errors, 0);
    assert.equal(report.notes.length, 1);
    assert.match(report.notes[0]!, /^no --params: not in a git checkout, so placeholder repository parameters are used: /);
    assert.ok(report.notes[0]!.includes(`head_rev=${PLACEHOLDER_REVISION}`), report.notes[0]);
    const sarif = runCli(['lint', '--root', bare, '--format', 'sarif'], { cwd: scratch });
    const log = JSON.parse(sarif.stdout) as { runs: { properties?: { notes?: string[] } }[] };
    assert.deepEqual(log.runs[0]!.properties?.notes, report.notes);
  });

  test('with --params there is no note: the file is authoritative', () => {
    const result = runCli(['lint', '--root', 'taskcluster', '--params', join(fixtures, 'params.yml'), '--format', 'json'], { cwd: clone });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as JsonReport).notes, []);
  });
});

describe('generate without --params', () => {
  test('a hosted origin is the head repository, and project comes from it; the note goes to standard error', () => {
    const hosted = join(scratch, 'hosted');
    git(scratch, 'clone', '--quiet', upstream, hosted);
    git(hosted, 'remote', 'set-url', 'origin', 'https://github.com/acme/gadget.git');
    git(hosted, 'switch', '--quiet', '-c', 'feature-x');
    const result = runCli(['generate', '--root', 'taskcluster'], { cwd: hosted });
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`^note: no --params: repository parameters from the git checkout ${hosted}: head_repository=https://github.com/acme/gadget.git, head_rev=${revision}, head_ref=feature-x; `, 'm'),
    );
    const tasks = Object.values(JSON.parse(result.stdout) as Record<string, Task>);
    assert.ok(tasks.length > 0);
    for (const t of tasks) assert.ok(t.task.metadata.source.includes(`/blob/${revision}/`), t.task.metadata.source);
    const summary = runCli(['generate', '--root', 'taskcluster', '--summary'], { cwd: hosted });
    assert.match(summary.stdout, /\(level 3, project gadget, /);
  });

  test('-p wins over the checkout, and --params replaces it entirely', () => {
    const given = runCli(['generate', '--root', 'taskcluster', '-p', 'head_rev=1234567', '-p', 'head_repository=https://github.com/acme/widget'], { cwd: clone });
    assert.equal(given.status, 0, given.stderr);
    const tasks = Object.values(JSON.parse(given.stdout) as Record<string, Task>);
    for (const t of tasks) assert.ok(t.task.metadata.source.startsWith('https://github.com/acme/widget/blob/1234567/'), t.task.metadata.source);
    assert.doesNotMatch(given.stderr, /head_rev=/);

    const file = runCli(['generate', '--root', 'taskcluster', '--params', join(fixtures, 'params.yml')], { cwd: clone });
    assert.equal(file.status, 0, file.stderr);
    assert.equal(file.stderr, '');
    for (const t of Object.values(JSON.parse(file.stdout) as Record<string, Task>)) {
      assert.ok(!t.task.metadata.source.includes(revision), t.task.metadata.source);
    }
  });

  test('a detached HEAD: head_ref is the revision, as in taskgraph', () => {
    const detached = join(scratch, 'detached');
    git(scratch, 'clone', '--quiet', upstream, detached);
    git(detached, 'checkout', '--quiet', '--detach');
    const result = runCli(['lint', '--root', 'taskcluster', '--format', 'json'], { cwd: detached });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.ok((JSON.parse(result.stdout) as JsonReport).notes[0]!.includes(`head_ref=${revision}`));
  });
});
