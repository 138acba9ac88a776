import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cacheNameSuffix,
  compareRequirements,
  dockerWorkerCacheName,
  formatAuditEntry,
  formatRequirements,
  isRunTaskCommand,
  joinPathList,
  parseRequirements,
  requirementsFor,
  sha256Hex,
} from '../src/contract.js';

test('requirements are the sorted uid, gid and version lines', () => {
  assert.deepEqual(requirementsFor(1000, 1001), ['gid=1001', 'uid=1000', 'version=1']);
  assert.equal(formatRequirements(['version=1', 'uid=5', 'gid=6']), 'gid=6\nuid=5\nversion=1');
  assert.deepEqual(parseRequirements('uid=5\nversion=1\ngid=6\n'), ['gid=6', 'uid=5', 'version=1']);
});

test('a difference in uid or gid alone is an owner-only mismatch', () => {
  const ours = requirementsFor(1000, 1000);
  assert.equal(compareRequirements(ours, requirementsFor(1000, 1000)), 'equal');
  assert.equal(compareRequirements(ours, requirementsFor(0, 0)), 'owner-only');
  assert.equal(compareRequirements(ours, ['gid=0', 'uid=0', 'version=2']), 'other');
  assert.equal(compareRequirements(ours, [...ours, 'hg=true']), 'other');
});

test('cache names pin the runtime and the image for run-task commands', () => {
  const image = 'debian:12';
  const digest = sha256Hex(image).slice(0, 12);
  assert.equal(cacheNameSuffix(true, 'a'.repeat(20), { name: image }), `v3-${'a'.repeat(20)}${digest}`);
  assert.equal(cacheNameSuffix(true, 'b'.repeat(20), { inTree: 'linux' }), `v3-${'b'.repeat(20)}-<docker-image>`);
  assert.equal(cacheNameSuffix(false, 'b'.repeat(20), { name: image }), 'v3');
  assert.equal(dockerWorkerCacheName('proj', 3, 'checkouts', 'v3'), 'proj-level-3-checkouts-v3');
});

test('run-task commands are recognised by the basename of the first element', () => {
  assert.equal(isRunTaskCommand(['/usr/local/bin/run-task', '--', 'true']), true);
  assert.equal(isRunTaskCommand(['run-task-hg']), true);
  assert.equal(isRunTaskCommand(['bash', '-c', 'run-task']), false);
  assert.equal(isRunTaskCommand(undefined), false);
});

test('path lists are sorted and joined with semicolons', () => {
  assert.equal(joinPathList(['/b', '/a']), '/a;/b');
});

test('an audit entry is one line, whatever the task id and message hold', () => {
  const time = new Date(Date.UTC(2026, 10, 27, 20, 0, 0, 5));
  assert.equal(formatAuditEntry(time, undefined, 'used'), '[2026-11-27T20:00:00.005Z UNKNOWN] used\n');
  const entry = formatAuditEntry(time, 'abc]\n[x y', 'a\nb\\c\u0007');
  assert.equal(entry, '[2026-11-27T20:00:00.005Z abc\\x5d\\n[x\\x20y] a\\nb\\\\c\\x07\n');
  assert.equal(entry.split('\n').length, 2);
});
