// The command lints its configurations in worker threads; the report must be
// exactly what linting them one after the other gives.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lint } from '../../src/lint/lint.js';
import { lintInParallel } from '../../src/lint/parallel.js';
import { RULES } from '../../src/lint/rules.js';
import { bundledTree, lintFixtures, params, repoRoot, trigger } from './lint-fixtures.js';

describe('lintInParallel', () => {
  for (const [name, options] of [
    ['suppressions and a warning', { root: join(lintFixtures, 'suppression'), paramsFiles: [params] }],
    ['a conflict between two tasks', { root: trigger(RULES.cacheSharedByDifferentUsers.id), paramsFiles: [params] }],
    ['the bundled tree with two parameter sets', { root: bundledTree, paramsFiles: [params, join(repoRoot, 'taskgraph-fixtures', 'params-untrusted.yml')] }],
    ['a tree that does not generate', { root: trigger(RULES.unknownWorkerAlias.id), paramsFiles: [params] }],
  ] as const) {
    test(`gives the same report as await lint(): ${name}`, async () => {
      const parallel = await lintInParallel({ ...options, paramsFiles: [...options.paramsFiles] });
      assert.deepEqual(parallel, await lint({ ...options, paramsFiles: [...options.paramsFiles] }));
      assert.ok(parallel.configurations.length >= 2);
    });
  }
});
