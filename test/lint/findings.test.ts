// One triggering tree and one near-miss tree per finding: the trigger reports
// exactly that rule at the line to fix, the near miss reports nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/lint/finding.js';
import { lint } from '../../src/lint/lint.js';
import { RULES } from '../../src/lint/rules.js';
import { bundledTree, kindFile, lintFixtures, nearMiss, params, trigger } from './lint-fixtures.js';

const lintTree = async (root: string) => await lint({ root, paramsFiles: [params] });
const BOTH = ['params.yml, level 1', 'params.yml, level 3'];

interface Expected {
  rule: string;
  kind?: string;
  /** [line, column, task, kind when not `kind`] of each finding, in report order. */
  at: [number, number, string | undefined, string?][];
  message: RegExp;
  related?: number[];
  /** Default: both levels. */
  configurations?: string[];
}

const cases: Expected[] = [
  { rule: RULES.cacheMountPointReused.id, at: [[22, 32, 'build-build']], message: /mounts caches "cargo" and "pip" both at \/builds\/worker\/cache$/, related: [19] },
  {
    rule: RULES.cacheNested.id,
    at: [[22, 32, 'build-build'], [32, 32, 'build-in-volume']],
    message: /cache "(pip|wheels)" at \/builds\/worker\/(checkouts\/pip, inside cache "checkouts" \(mounted at \/builds\/worker\/checkouts\)|workspace\/pip, inside volume \/builds\/worker\/workspace)$/,
    related: [19],
  },
  { rule: RULES.cacheMountPointsDiffer.id, at: [[19, 32, 'build-one'], [28, 32, 'build-two']], message: /mounts cache "cargo" at .*, but task build-(one|two) mounts it at /, related: [28] },
  {
    rule: RULES.cacheSharedByDifferentUsers.id,
    at: [[19, 32, 'build-as-worker'], [28, 32, 'build-as-root']],
    message: /cache "cargo" is used by task build-as-(worker|root) running as (worker:worker|root:root) and by task build-as-(root|worker) running as (root:root|worker:worker); .*requirements mismatch \(exit 72\)/,
    related: [28],
    // At level 1 caches are untrusted: run-task repairs the owner instead of failing.
    configurations: ['params.yml, level 3'],
  },
  { rule: RULES.checkoutOutsideCaches.id, at: [[22, 22, 'build-build']], message: /checks out vcs into \/builds\/worker\/src, which is outside every cache and volume/ },
  { rule: RULES.cacheWithoutRunTask.id, at: [[19, 32, 'build-build']], message: /mounts caches at \/builds\/worker\/\.cargo, but its command does not start with run-task/, related: [22] },
  { rule: RULES.cacheScopeUnused.id, at: [[17, 15, 'build-build']], message: /^task build-build has the scope docker-worker:cache:lintcase-level-3-cargo, but mounts no cache named lintcase-level-3-cargo$/ },
  { rule: RULES.taskclusterEnvByHand.id, at: [[17, 17, 'build-build']], message: /sets TASKCLUSTER_CACHES by hand/ },
  { rule: RULES.dependencyCycle.id, kind: 'cycle', at: [[16, 16, 'cycle-a']], message: /^dependency cycle: cycle-a → cycle-b → cycle-c → cycle-a$/, related: [21, 26] },
  { rule: RULES.missingDependency.id, kind: 'cycle', at: [[16, 16, undefined]], message: /depends on "cycle-nope", which no task has/ },
  { rule: RULES.unknownWorkerAlias.id, at: [[15, 22, undefined]], message: /unknown worker alias "linx"/ },
  { rule: RULES.duplicateLabel.id, at: [[8, 9, undefined], [8, 9, undefined, 'other']], message: /^duplicate label "build-twice": also defined at .*kinds\/(other|build)\/kind\.yml:8:9$/ },
  {
    rule: RULES.imageWithoutDockerfile.id,
    at: [[14, 37, undefined], [10, 9, undefined, 'docker-image']],
    message: /image "base" has no Dockerfile: .*image-without-dockerfile\/trigger\/docker\/base\/Dockerfile does not exist/,
  },
  { rule: RULES.volumeDeclaredTwice.id, at: [[21, 19, undefined]], message: /^volume \/builds\/worker\/checkouts is declared both here and by a VOLUME line of .*docker\/base\/Dockerfile$/ },
];

describe('each finding on its triggering tree and its near miss', () => {
  for (const c of cases) {
    test(`${c.rule}: reported where it is written, at both levels`, async () => {
      const root = trigger(c.rule);
      const result = await lintTree(root);
      assert.deepEqual(
        result.findings.map((f) => f.rule),
        c.at.map(() => c.rule),
        JSON.stringify(result.findings, null, 1),
      );
      result.findings.forEach((f: Finding, i) => {
        const [line, column, task, kind] = c.at[i]!;
        assert.deepEqual(f.location, { file: kindFile(root, kind ?? c.kind), line, column });
        assert.equal(f.task, task);
        assert.match(f.message, c.message);
        assert.equal(f.severity, Object.values(RULES).find((r) => r.id === c.rule)!.severity);
        assert.deepEqual(f.configurations, c.configurations ?? BOTH);
      });
      if (c.related) assert.deepEqual(result.findings[0]!.related.map((r) => r.location.line), c.related);
    });
    test(`${c.rule}: the near miss is clean`, async () => {
      const result = await lintTree(nearMiss(c.rule));
      assert.deepEqual(result.findings, []);
    });
  }
});

describe('generic-worker caches (mounts)', () => {
  test('one cache-name in two directories is reported on both tasks', async () => {
    const root = join(lintFixtures, RULES.cacheMountPointsDiffer.id, 'generic-worker');
    const result = await lintTree(root);
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.task, f.location?.line, f.path]),
      [
        [RULES.cacheMountPointsDiffer.id, 'mac-one', 18, ['worker', 'mounts', 0, 'directory']],
        [RULES.cacheMountPointsDiffer.id, 'mac-two', 24, ['worker', 'mounts', 0, 'directory']],
      ],
    );
    assert.match(result.findings[0]!.message, /task mac-one mounts cache "deps" at deps, but task mac-two mounts it at vendor\/deps/);
  });
});

describe('the bundled example tree', () => {
  test('has no errors; its only warnings are the licence task, which mounts caches without run-task on purpose', async () => {
    const result = await lintTree(bundledTree);
    assert.deepEqual(
      result.findings.map((f) => [f.severity, f.rule, f.task, f.message.replace(/.* mounts caches at (.*), but .*/, '$1'), f.configurations]),
      [
        ['warning', RULES.cacheWithoutRunTask.id, 'lint-license', '/builds/worker/checkouts, /builds/worker/.cache/pip', ['params.yml, level 3']],
        ['warning', RULES.cacheWithoutRunTask.id, 'lint-license', '/builds/worker/checkouts', ['params.yml, level 1']],
      ],
    );
  });
});
