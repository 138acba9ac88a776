// `# tc-payload-lint: allow <rule>` on a task's line (or the comment lines
// right above it) silences that rule on that task, and nothing else.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lint } from '../../src/lint/lint.js';
import { RULES } from '../../src/lint/rules.js';
import { kindFile, lintFixtures, params, trigger } from './lint-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'lint-suppression-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of a fixture tree whose kind.yml is edited by `edit`. */
function editedCopy(from: string, name: string, edit: (text: string) => string): string {
  const root = join(scratch, name);
  cpSync(from, root, { recursive: true });
  const file = kindFile(root);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return root;
}

describe('suppression comments', () => {
  test('a comment above the task and one on its line silence the rule they name on their task only', async () => {
    const result = await lint({ root: join(lintFixtures, 'suppression'), paramsFiles: [params] });
    assert.deepEqual(
      result.suppressed.map((f) => [f.rule, f.task]).sort(),
      [
        [RULES.cacheSharedByDifferentUsers.id, 'build-as-root'],
        [RULES.cacheSharedByDifferentUsers.id, 'build-as-worker'],
      ],
    );
    // `plain` allows another rule than the one it breaks: still reported.
    assert.deepEqual(result.findings.map((f) => [f.rule, f.task]), [[RULES.cacheWithoutRunTask.id, 'build-plain']]);
  });

  test('allowing the rule on one of two conflicting tasks leaves the other reported', async () => {
    const root = editedCopy(trigger(RULES.cacheSharedByDifferentUsers.id), 'one-side', (t) =>
      t.replace('    as-root:\n', `    as-root:  # tc-payload-lint: allow ${RULES.cacheSharedByDifferentUsers.id}\n`),
    );
    const result = await lint({ root, paramsFiles: [params] });
    assert.deepEqual(result.findings.map((f) => [f.rule, f.task]), [[RULES.cacheSharedByDifferentUsers.id, 'build-as-worker']]);
    assert.deepEqual(result.suppressed.map((f) => f.task), ['build-as-root']);
  });

  test('a comment separated from the task by a blank line, or inside the task, silences nothing', async () => {
    const rule = RULES.taskclusterEnvByHand.id;
    const apart = editedCopy(trigger(rule), 'apart', (t) => t.replace('    build:\n', `    # tc-payload-lint: allow ${rule}\n\n    build:\n`));
    const inside = editedCopy(trigger(rule), 'inside', (t) => t.replace('        worker:\n', `        worker:  # tc-payload-lint: allow ${rule}\n`));
    for (const root of [apart, inside]) {
      const result = await lint({ root, paramsFiles: [params] });
      assert.deepEqual(result.findings.map((f) => f.rule), [rule]);
      assert.deepEqual(result.suppressed, []);
    }
  });

  test('errors of the generator cannot be silenced', async () => {
    const rule = RULES.unknownWorkerAlias.id;
    const root = editedCopy(trigger(rule), 'generator', (t) => t.replace('    build:\n', `    build:  # tc-payload-lint: allow ${rule}\n`));
    const result = await lint({ root, paramsFiles: [params] });
    assert.deepEqual(result.findings.map((f) => f.rule), [rule]);
  });

  test('a misspelt rule, or one that cannot be silenced, is reported at the comment', async () => {
    const rule = RULES.taskclusterEnvByHand.id;
    const root = editedCopy(trigger(rule), 'misspelt', (t) =>
      t.replace('    build:\n', `    # tc-payload-lint: allow taskcluster-env-set-by-hnad, ${RULES.duplicateLabel.id}\n    build:\n`),
    );
    const result = await lint({ root, paramsFiles: [params] });
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.severity, f.location?.line, f.location?.column, f.message]),
      [
        [rule, 'error', 18, 17, 'task build-build sets TASKCLUSTER_CACHES by hand; TASKCLUSTER_* variables are set by the generator and the worker'],
        [RULES.suppressionUnknownRule.id, 'warning', 14, 5, 'no rule is called taskcluster-env-set-by-hnad, so this comment silences nothing'],
        [RULES.suppressionUnknownRule.id, 'warning', 14, 5, `rule ${RULES.duplicateLabel.id} cannot be silenced: the generator refuses the tree with it`],
      ],
    );
  });
});
