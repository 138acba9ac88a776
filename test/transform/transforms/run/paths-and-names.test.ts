// The small pure pieces: Python-compatible path joining and normalizing, and
// the checkout cache's name.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { checkoutCacheName, usesCache } from '../../../../src/transform/transforms/run/caches.js';
import { joinPath, normalizePath } from '../../../../src/transform/transforms/run/layout.js';
import type { RepositoryConfig } from '../../../../src/transform/transforms/run/repositories.js';

test('joinPath behaves like posixpath.join for two parts', () => {
  assert.equal(joinPath('/a/vcs', ''), '/a/vcs/');
  assert.equal(joinPath('/a/vcs', 'tools'), '/a/vcs/tools');
  assert.equal(joinPath('/a/vcs/', 'tools'), '/a/vcs/tools');
  assert.equal(joinPath('/a/vcs', '/abs'), '/abs');
  assert.equal(joinPath('checkouts/vcs', 'x/y'), 'checkouts/vcs/x/y');
});

test('normalizePath behaves like posixpath.normpath', () => {
  assert.equal(normalizePath('/a/b/'), '/a/b');
  assert.equal(normalizePath('/a/./b/../c'), '/a/c');
  assert.equal(normalizePath('checkouts/vcs/'), 'checkouts/vcs');
  assert.equal(normalizePath('./x'), 'x');
  assert.equal(normalizePath('a/..'), '.');
  assert.equal(normalizePath('../a'), '../a');
  assert.equal(normalizePath('/../a'), '/a');
  assert.equal(normalizePath('a//b'), 'a/b');
});

const repo = (prefix: string, path: string): RepositoryConfig => ({
  prefix,
  name: prefix,
  baseRepository: 'b',
  headRepository: 'h',
  headRef: 'r',
  type: 'git',
  path,
});

test('checkout cache name: plain with one configured repository, a digest of sorted path/prefix lines of all configured ones with several', () => {
  assert.equal(checkoutCacheName([repo('a', '')]), 'checkouts');
  const expected = `checkouts-repos-${createHash('sha256').update('\ta\nsub\tb').digest('hex')}`;
  assert.equal(checkoutCacheName([repo('a', ''), repo('b', 'sub')]), expected);
  // Configured in the other order: the same name.
  assert.equal(checkoutCacheName([repo('b', 'sub'), repo('a', '')]), expected);
  // Another configured path for the same repositories: another cache.
  assert.notEqual(checkoutCacheName([repo('a', ''), repo('b', 'other')]), expected);
});

test('usesCache: booleans, lists, and never checkout without a checkout', () => {
  assert.equal(usesCache('pip', true, false), true);
  assert.equal(usesCache('pip', false, true), false);
  assert.equal(usesCache('pip', ['pip'], false), true);
  assert.equal(usesCache('npm', ['pip'], true), false);
  assert.equal(usesCache('checkout', true, false), false);
  assert.equal(usesCache('checkout', ['checkout'], true), true);
});
