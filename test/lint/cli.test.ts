// `tc-payload lint` as a user runs it: the report on standard output in each
// format, and the exit status (1 on errors, or on warnings with --strict).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../src/lint/rules.js';
import type { JsonReport } from '../../src/lint/format/json.js';
import { cli, runCli } from '../cli/run-cli.js';
import { bundledTree, kindFile, nearMiss, params, repoRoot, trigger } from './lint-fixtures.js';

const lintArgs = (root: string, ...more: string[]) => ['lint', '--root', root, '--params', params, ...more];
const rel = (file: string) => relative(repoRoot, file);

describe('tc-payload lint: exit statuses', () => {
  test('errors: 1', () => {
    assert.equal(runCli(lintArgs(trigger(RULES.cacheSharedByDifferentUsers.id))).status, 1);
  });
  test('warnings only: 0, and 1 with --strict', () => {
    const root = trigger(RULES.checkoutOutsideCaches.id);
    assert.equal(runCli(lintArgs(root)).status, 0);
    assert.equal(runCli(lintArgs(root, '--strict')).status, 1);
  });
  test('nothing found: 0, also with --strict', () => {
    assert.equal(runCli(lintArgs(nearMiss(RULES.cacheSharedByDifferentUsers.id), '--strict')).status, 0);
  });
  test('a bad --format is a usage error naming the choices', () => {
    const result = runCli(lintArgs(bundledTree, '--format', 'xml'));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--format must be one of human, json, sarif, not "xml"/);
  });
  test('a missing root is an error with exit 1, reported as a finding', () => {
    const result = runCli(['lint', '--root', join(repoRoot, 'no-such-dir'), '--format', 'json']);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.match(report.findings[0]!.message, /the root directory .*no-such-dir does not exist/);
    assert.equal(report.findings[0]!.rule, RULES.invalidTaskDefinition.id);
  });
});

describe('tc-payload lint: human format', () => {
  test('file:line:column: severity rule: message, the source line and a caret under the column, no colour on a pipe', () => {
    const root = trigger(RULES.taskclusterEnvByHand.id);
    const result = runCli(lintArgs(root));
    const lines = result.stdout.split('\n');
    assert.equal(
      lines[0],
      `${rel(kindFile(root))}:17:17: error ${RULES.taskclusterEnvByHand.id}: worker.env.TASKCLUSTER_CACHES: task build-build sets TASKCLUSTER_CACHES by hand; TASKCLUSTER_* variables are set by the generator and the worker`,
    );
    assert.equal(lines[1], '  17 |                 TASKCLUSTER_CACHES: /builds/worker/.cargo');
    assert.equal(lines[2], `     | ${' '.repeat(16)}^`);
    assert.match(result.stdout, /\n {2}= hint: remove it/);
    assert.match(result.stdout, /\n {2}= in: params\.yml, level 1; params\.yml, level 3\n/);
    assert.match(result.stdout, /\ntc-payload lint: 1 error, 0 warnings \(checked params\.yml, level 1; params\.yml, level 3\)\n$/);
    assert.doesNotMatch(result.stdout, /\u001b\[/);
  });

  test('related places are listed with their own file:line:column', () => {
    const root = trigger(RULES.cacheSharedByDifferentUsers.id);
    const result = runCli(lintArgs(root));
    assert.match(result.stdout, new RegExp(`\\n {2}= see ${rel(kindFile(root)).replace(/\./g, '\\.')}:28:32: task build-as-root runs as root:root\\n`));
  });

  test('colour on a terminal', () => {
    const root = trigger(RULES.taskclusterEnvByHand.id);
    const command = [process.execPath, cli, ...lintArgs(root)].map((a) => `'${a}'`).join(' ');
    // script(1) gives the child a real pseudo-terminal as standard output.
    const child = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /\u001b\[1;31merror\u001b\[0m/);
  });
});

describe('tc-payload lint: JSON format', () => {
  test('the documented shape, paths relative to the working directory', () => {
    const root = trigger(RULES.cacheSharedByDifferentUsers.id);
    const result = runCli(lintArgs(root, '--format', 'json'));
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(Object.keys(report), ['version', 'configurations', 'summary', 'findings', 'suppressed', 'notes']);
    assert.equal(report.version, 1);
    assert.deepEqual(report.configurations, ['params.yml, level 1', 'params.yml, level 3']);
    assert.deepEqual(report.summary, { errors: 2, warnings: 0, suppressed: 0 });
    const first = report.findings[0]!;
    assert.deepEqual(Object.keys(first), ['rule', 'severity', 'message', 'location', 'yamlPath', 'expected', 'hint', 'task', 'related', 'configurations']);
    assert.deepEqual(first.location, { file: rel(kindFile(root)), line: 19, column: 32 });
    assert.equal(first.rule, RULES.cacheSharedByDifferentUsers.id);
    assert.equal(first.severity, 'error');
    assert.equal(first.yamlPath, 'worker.caches[0].mount-point');
    assert.equal(first.expected, null);
    assert.equal(first.task, 'build-as-worker');
    assert.deepEqual(first.related, [{ location: { file: rel(kindFile(root)), line: 28, column: 32 }, message: 'task build-as-root runs as root:root' }]);
  });
});
