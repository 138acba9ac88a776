import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../../src/transform/diagnostics.js';
import { resolveKeyedBy } from '../../../src/transform/keyed-by.js';
import { loadGraph } from '../../../src/transform/load/load-graph.js';
import { packageRoot } from '../../../src/transform/package-paths.js';
import { parseYamlText } from '../../../src/transform/load/yaml-document.js';
import { validateTaskDescription } from '../../../src/transform/validate/task-description.js';

function check(text: string, implementation: string) {
  const { value, source } = parseYamlText(text, 'kind.yml');
  return validateTaskDescription(value as Record<string, unknown>, source, implementation);
}

const DOCKER_TASK = `description: builds
worker-type: b-linux
treeherder: {symbol: B(opt), kind: build, tier: 1, platform: linux64/opt}
index: {product: widget, job-name: linux64-opt, rank: by-tier}
run-on-projects: [widget]
optimization: {skip-unless-changed: ['src/**']}
dependencies: {image: docker-image-base}
worker:
  docker-image: {in-tree: base}
  max-run-time: 600
  command: [run-task, --, make]
`;

describe('validateTaskDescription', () => {
  it('accepts a full docker-worker task', () => {
    assert.deepEqual(check(DOCKER_TASK, 'docker-worker'), []);
  });

  it('checks the worker against the implementation of its alias', () => {
    const diagnostics = check(DOCKER_TASK, 'generic-worker');
    assert.equal(diagnostics.length, 1);
    // taskgraph 24.2 ignores keys a worker schema does not list: a warning, with what the key is for.
    assert.equal(diagnostics[0]!.severity, 'warning');
    assert.equal(diagnostics[0]!.message, 'unknown key "docker-image" is ignored, as taskgraph ignores it');
    assert.deepEqual(diagnostics[0]!.path, ['worker', 'docker-image']);
    assert.deepEqual(diagnostics[0]!.location, { file: 'kind.yml', line: 9, column: 3 });
    assert.match(diagnostics[0]!.expected!, /mounts/);
    assert.equal(diagnostics[0]!.hint, '"docker-image" is a docker-worker setting, but worker-type "b-linux" runs on generic-worker');
  });

  it('reports an implementation without a payload builder at worker-type, naming the task and its alias', () => {
    // generate-kind hands the description over with its label.
    const [d, ...rest] = check(`label: build-linux\n${DOCKER_TASK}`, 'scriptworker');
    assert.equal(rest.length, 0);
    assert.equal(d!.message, 'task build-linux runs on worker implementation "scriptworker" (worker alias "b-linux"), which has no payload builder here');
    assert.deepEqual(d!.path, ['worker-type']);
    assert.deepEqual(d!.location, { file: 'kind.yml', line: 3, column: 14 });
    assert.equal(d!.expected, 'a worker alias whose implementation is one of: docker-worker, generic-worker, succeed, always-optimized');
  });

  it('leaves the worker section of the built-in worker types to their payload builders', () => {
    // The description schema still applies; the worker section is not checked against docker-worker's or generic-worker's.
    const text = 'label: done\ndescription: nothing to run\nworker-type: succeed\nworker: {docker-image: x}\n';
    assert.deepEqual(check(text, 'succeed'), []);
    assert.deepEqual(check(text.replace('succeed', 'always-optimized'), 'always-optimized'), []);
    assert.deepEqual(check('label: done\ndescripton: x\nworker-type: succeed\n', 'succeed').map((x) => x.path?.join('.')), ['descripton']);
  });

  it('reports problems of the description and of the worker in one go', () => {
    const text = DOCKER_TASK.replace('description: builds', 'descripton: builds').replace('tier: 1', 'tier: 5').replace('max-run-time: 600', 'max-run-time: x');
    const diagnostics = check(text, 'docker-worker');
    assert.deepEqual(
      diagnostics.map((d) => d.path?.join('.')),
      ['descripton', 'treeherder.tier', 'worker.max-run-time'],
    );
    assert.equal(diagnostics[0]!.hint, 'did you mean "description"?');
    assert.equal(diagnostics[1]!.expected, 'a number <= 3');
  });

  it('refuses dependencies named self or decision', () => {
    const [d] = check(DOCKER_TASK.replace('{image: docker-image-base}', '{self: x}'), 'docker-worker');
    assert.equal(d!.message, 'key "self" is not allowed here');
    assert.deepEqual(d!.path, ['dependencies', 'self']);
  });
});

describe('the example tree, loaded, resolved and validated', () => {
  const fixtures = join(packageRoot, 'taskgraph-fixtures');
  for (const level of ['1', '3']) {
    it(`has no problems at level ${level}`, async () => {
      const graph = await loadGraph({ root: join(fixtures, 'taskcluster'), paramsFile: join(fixtures, 'params.yml'), overrides: { level } });
      let checked = 0;
      for (const kind of graph.kinds) {
        // Entries of these become tasks in their transforms (docker_image, from_deps, chunking, …):
        // only kinds with the task transform alone hold task descriptions as written.
        if (kind.transforms.some((t) => !t.startsWith('taskgraph.transforms.task:') && t !== 'taskgraph.transforms.task')) continue;
        for (const task of kind.tasks) {
          const context = { level, project: graph.params.project, 'tasks-for': graph.params.tasks_for, kind: kind.name };
          const resolved = resolveKeyedBy(task.value, task.source, context);
          const alias = graph.config.workers.aliases[String(resolved.value['worker-type'])];
          assert.ok(alias, `${kind.name}/${task.name}: unknown worker alias`);
          const problems = [...resolved.diagnostics, ...validateTaskDescription(resolved.value, resolved.source, alias.implementation)];
          assert.deepEqual(problems.map(formatDiagnostic), [], `${kind.name}/${task.name}`);
          checked++;
        }
      }
      assert.ok(checked >= 8);
    });
  }
});
