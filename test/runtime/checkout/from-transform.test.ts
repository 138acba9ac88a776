// The run transform and run-task agree: the arguments and environment the
// transform gives a task with two repositories (the second inside the first,
// as taskgraph lays them out) make run-task check both out, on a new cache and
// on the reused one.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { checkoutSetup } from '../../../src/transform/transforms/run/checkout.js';
import { runLayout } from '../../../src/transform/transforms/run/layout.js';
import type { RepositoryConfig } from '../../../src/transform/transforms/run/repositories.js';
import { ownLines, runTask, tempDir } from '../helpers.js';
import { checkoutSuite, gitIn } from './repositories.js';

const { user, repositories: { main, extra } } = checkoutSuite('rtcx', 'checkout-transform-sources', ['main', 'extra']);

function repositories(rev: 0 | 1): RepositoryConfig[] {
  return [
    { prefix: 'ci', name: 'main repository', baseRepository: main.path, headRepository: main.path, headRef: 'refs/heads/main', headRev: main.revisions[rev], type: 'git', path: '' },
    // No revision: the graph is not generated for it, only its ref is known.
    { prefix: 'extra', name: 'extra', baseRepository: extra.path, headRepository: extra.path, headRef: 'refs/heads/feature', type: 'git', path: 'third_party/extra' },
  ];
}

test('a task of the run transform with two repositories runs under run-task, first run and reused cache', async (t) => {
  const workdir = tempDir(t, 'transform');
  const layout = runLayout('docker-worker', workdir);
  // The worker mounts the checkout cache.
  mkdirSync(layout.checkoutDir);
  for (const rev of [0, 1] as const) {
    const setup = checkoutSetup(repositories(rev), layout);
    const run = await runTask(
      ['--user', user.name, '--group', user.group, ...setup.args, '--task-cwd', layout.vcsPath, '--', 'sh', '-c', 'cat f third_party/extra/f; echo "$CI_PATH $EXTRA_HEAD_REV"'],
      { cwd: workdir, env: { ...setup.env, TASKCLUSTER_CACHES: layout.checkoutDir, CI_PATH: layout.vcsPath } },
    );
    assert.equal(run.status, 0, run.text);
    assert.deepEqual(run.taskLines, [rev === 0 ? 'one main' : 'two main', 'feature extra', `${layout.vcsPath} ${extra.feature}`]);
    assert.equal(gitIn(layout.vcsPath, ['rev-parse', 'HEAD']), main.revisions[rev]);
    const reused = ownLines(run.text, 'vcs').filter((l) => l.startsWith('reusing the clone in '));
    assert.equal(reused.length, rev === 0 ? 0 : 2, run.text);
  }
});
