// Who a task runs as and what it checks out, read from the run-task command
// line the way run-task reads it; and the configurations lint generates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeDir, isStrictlyInside, isWithin } from '../../src/lint/checks/paths.js';
import { lintConfigurations } from '../../src/lint/configurations.js';
import { runTaskOptions, shortCacheName } from '../../src/lint/task-facts.js';

describe('runTaskOptions', () => {
  test('defaults to worker:worker and no checkout', () => {
    assert.deepEqual(runTaskOptions(['/usr/local/bin/run-task', '--', 'make']), { user: 'worker', group: 'worker', checkouts: [] });
  });
  test('reads --user/--group and --<prefix>-checkout in both spellings, only before --', () => {
    assert.deepEqual(
      runTaskOptions(['run-task', '--user=builder', '--group', 'staff', '--vcs-checkout', '/w/src', '--tools-checkout=/w/tools', '--task-cwd', '/w', '--', 'make', '--user', 'root']),
      { user: 'builder', group: 'staff', checkouts: [{ prefix: 'vcs', path: '/w/src' }, { prefix: 'tools', path: '/w/tools' }] },
    );
  });
  test('an option without its value changes nothing', () => {
    assert.deepEqual(runTaskOptions(['run-task', '--user']), { user: 'worker', group: 'worker', checkouts: [] });
  });
});

describe('mount point comparison', () => {
  test('trailing slashes and dots do not matter; a shared prefix is not nesting', () => {
    assert.equal(normalizeDir('/a/b/'), '/a/b');
    assert.equal(normalizeDir('/a/./b'), '/a/b');
    assert.equal(isStrictlyInside('/a/b/c', '/a/b/'), true);
    assert.equal(isStrictlyInside('/a/bc', '/a/b'), false);
    assert.equal(isStrictlyInside('/a/b', '/a/b'), false);
    assert.equal(isWithin('/a/b', '/a/b/'), true);
    assert.equal(isStrictlyInside('/x', '/'), true);
  });
});

describe('shortCacheName', () => {
  test('drops the level prefix and the version suffix of a generated name', () => {
    assert.equal(shortCacheName('gadget-level-3-checkouts-repos-e382-v3-b8155d2935fd2ec83641e3efd51c9a35', 'gadget-level-3-'), 'checkouts-repos-e382');
    assert.equal(shortCacheName('gadget-level-1-pip', 'gadget-level-1-'), 'pip');
  });
});

describe('lintConfigurations', () => {
  test('each parameter set at levels 1 and 3; the defaults when none is given', () => {
    assert.deepEqual(lintConfigurations([], {}).map((c) => [c.name, c.paramsFile, c.overrides]), [
      ['level 1', undefined, { level: '1' }],
      ['level 3', undefined, { level: '3' }],
    ]);
    assert.deepEqual(lintConfigurations(['a/params.yml', 'b/other.yml'], { project: 'x' }).map((c) => [c.name, c.overrides]), [
      ['params.yml, level 1', { project: 'x', level: '1' }],
      ['params.yml, level 3', { project: 'x', level: '3' }],
      ['other.yml, level 1', { project: 'x', level: '1' }],
      ['other.yml, level 3', { project: 'x', level: '3' }],
    ]);
  });
  test('-p level=N pins the level; files with one basename are named by path', () => {
    assert.deepEqual(lintConfigurations(['a/params.yml', 'b/params.yml'], { level: '2' }).map((c) => c.name), ['a/params.yml, level 2', 'b/params.yml, level 2']);
  });
});
