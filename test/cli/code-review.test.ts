// taskgraph.transforms.code_review through the command: the review task gets
// soft dependencies on the tasks of its kind-dependencies whose code-review
// attribute is true, after its own.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-code-review-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const root = join(scratch, 'taskcluster');
const kinds: Record<string, string> = {
  build: `transforms: [taskgraph.transforms.task:transforms]
task-defaults:
    worker-type: succeed
tasks:
    a: {description: a, attributes: {code-review: true}}
    b: {description: b, attributes: {code-review: false}}
    c: {description: c, attributes: {code-review: true}}
    d: {description: d}
`,
  review: `transforms:
    - taskgraph.transforms.code_review:transforms
    - taskgraph.transforms.task:transforms
kind-dependencies: [build]
tasks:
    issues:
        description: collect
        worker-type: succeed
        soft-dependencies: [build-d]
`,
};
mkdirSync(root, { recursive: true });
writeFileSync(join(root, 'config.yml'), 'trust-domain: widget\ntask-priority: low\ntaskgraph: {repositories: {widget: {name: Widget}}}\nworkers: {aliases: {}}\n');
for (const [kind, text] of Object.entries(kinds)) {
  mkdirSync(join(root, 'kinds', kind), { recursive: true });
  writeFileSync(join(root, 'kinds', kind, 'kind.yml'), text);
}

test('code_review: soft dependencies on the reviewed tasks of the kind-dependencies, after the own ones', () => {
  const result = runCli(['generate', '--root', root, '--params', join(fixtures, 'params.yml')]);
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { soft_dependencies: string[] }>;
  assert.deepEqual(graph['review-issues']!.soft_dependencies, ['build-d', 'build-a', 'build-c']);
});
