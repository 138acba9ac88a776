// taskgraph.transforms.task_context through real kind trees: where the values
// come from and which wins, keyed-by resolved at the listed fields only, the
// substitution, `{{this_chunk}}` left for chunking; and every refusal,
// located in the kind's YAML.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { kind, oneError, Trees } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

const DEPLOY = kind(
  ['task_context'],
  `task-defaults:
  description: Deploy {name} to {channel} in {region} for {tasks} at {ref}
  worker-type:
    by-release-level:
      production: b-linux
      default: b-win
  scopes:
    by-tasks:
      github-push: ['secrets:get:deploy-{channel}']
      default: []
  worker:
    docker-image: debian
    max-run-time: 300
    env:
      REGION: '{region}'
      LEVEL_NAME:
        by-level:
          '3': trusted
          default: untrusted
    command: [deploy]
  task-context:
    from-file: ci/context.yml
    from-parameters:
      tasks: tasks_for
      level: level
      ref: [next_version, head_tag, head_ref]
    substitution-fields: [description, worker-type, scopes, worker.env, worker.env.LEVEL_NAME]
tasks:
  web:
    task-context:
      from-object: {channel: from-object, release-level: production}
  api:
    task-context:
      from-object: {level: '2', tasks: overridden}
`,
);
const CONTEXT = 'channel: from-file\nregion: eu-west-1\nrelease-level: staging\n';

const deployTree = (extra: Record<string, string> = {}) =>
  trees.tree({ 'taskcluster/kinds/deploy/kind.yml': DEPLOY, 'ci/context.yml': CONTEXT, ...extra });

const description = (task: { task: Record<string, unknown> }) => (task.task.metadata as { description: string }).description.split(' ([')[0];

describe('task_context', () => {
  test('from-file (relative to the repository root), from-object, from-parameters (which win), the task name; keyed-by resolved with them', async () => {
    const tasks = await trees.generate(deployTree());
    const web = tasks.get('deploy-web')!;
    // head_tag is "" (not null): the first parameter of the list that is not null wins.
    assert.equal(description(web), 'Deploy web to from-object in eu-west-1 for github-push at ');
    assert.equal(web.task.workerType, 'b-linux', 'release-level production from from-object');
    assert.deepEqual(web.task.scopes, ['secrets:get:deploy-from-object']);
    const env = (web.task.payload as { env: Record<string, string> }).env;
    assert.equal(env.REGION, 'eu-west-1');
    assert.equal(env.LEVEL_NAME, 'trusted');
    const api = tasks.get('deploy-api')!;
    assert.equal(description(api), 'Deploy api to from-file in eu-west-1 for github-push at ', 'parameters win over from-object');
    assert.equal(api.task.workerType, 'b-win');
    assert.equal((api.task.payload as { env: Record<string, string> }).env.LEVEL_NAME, 'trusted', 'level 3 from the parameters, not 2');
  });

  test('an ordered from-parameters list takes the first parameter that is not null; a single missing parameter reads None', async () => {
    const tasks = await trees.generate(
      trees.tree({
        'taskcluster/kinds/k/kind.yml': kind(
          ['task_context'],
          `tasks:
  t:
    description: 'ref={ref} v={v} build={build}'
    task-context:
      from-parameters: {ref: [no_such_parameter, next_version, head_ref, head_rev], v: no_such.parameter, build: [build_date]}
      substitution-fields: [description]
    worker-type: b-linux
    worker: {docker-image: d, max-run-time: 1, command: [x]}
`,
        ),
      }),
    );
    assert.equal(description(tasks.get('k-t')!), 'ref=main v=None build=1764201600');
  });

  test('keyed-by is resolved at the listed path only: worker.env alone leaves a by-level inside it', async () => {
    const text = DEPLOY.replace('substitution-fields: [description, worker-type, scopes, worker.env, worker.env.LEVEL_NAME]', 'substitution-fields: [description, worker-type, scopes, worker.env]');
    const root = trees.tree({ 'taskcluster/kinds/deploy/kind.yml': text, 'ci/context.yml': CONTEXT });
    const web = (await trees.items(root, 'deploy')).find((i) => i.name === 'web')!;
    const env = (web.value.worker as { env: Record<string, unknown> }).env;
    assert.deepEqual(env.LEVEL_NAME, { 'by-level': { '3': 'trusted', default: 'untrusted' } });
    assert.equal(env.REGION, 'eu-west-1', 'the rest of worker.env is substituted');
    assert.equal(web.value['task-context'], undefined);
  });

  test('with chunking: task_context gives {name} and leaves {{this_chunk}} as {this_chunk} for chunking, whose total-chunks it resolves', async () => {
    const root = trees.tree({
      'taskcluster/kinds/test/kind.yml': kind(
        ['task_context', 'chunking'],
        `tasks:
  unit:
    description: Test {name}
    label: test-{name}-{{this_chunk}}
    task-context:
      from-parameters: {level: level}
      substitution-fields: [description, label, chunk.total-chunks]
    chunk:
      total-chunks:
        by-name:
          'win-.*': 1
          default:
            by-level: {'3': 3, default: 2}
      substitution-fields: [label]
    worker-type: b-linux
    worker: {docker-image: d, max-run-time: 1, command: [x]}
`,
      ),
    });
    const tasks = await trees.generate(root);
    assert.deepEqual([...tasks.keys()].sort(), ['test-unit-1', 'test-unit-2', 'test-unit-3']);
    assert.equal(description(tasks.get('test-unit-2')!), 'Test unit');
  });

  test('resolve-keyed-by-options defer leaves a by-* for later', async () => {
    const root = trees.tree({
      'taskcluster/kinds/k/kind.yml': kind(
        ['task_context'],
        `tasks:
  t:
    description: x
    worker-type: {by-project: {gadget: b-mac, default: b-win}}
    task-context:
      from-object: {project: other}
      substitution-fields: [worker-type]
      resolve-keyed-by-options: {defer: [project]}
    worker: {docker-image: d, max-run-time: 1, command: [x]}
`,
      ),
    });
    // Deferred, the task's own keyed-by resolution later sees the run's project, gadget.
    assert.equal((await trees.generate(root)).get('k-t')!.task.workerType, 'b-mac');
  });
});

describe('task_context refuses', () => {
  const refused = async (body: string, files: Record<string, string> = {}) =>
    oneError(await trees.errors(trees.tree({ 'taskcluster/kinds/k/kind.yml': kind(['task_context'], body), ...files })));
  const task = (context: string, description = 'x {a}') =>
    `tasks:\n  t:\n    description: '${description}'\n    task-context: ${context}\n    worker-type: b-linux\n    worker: {docker-image: d, max-run-time: 1, command: [x]}\n`;

  test('a from-file that does not exist, or is not a map, saying what it is relative to', async () => {
    assert.match(
      await refused(task('{from-file: taskcluster/kinds/k/context.yml, substitution-fields: [description]}')),
      /k\/kind\.yml:\d+:\d+: task-context\.from-file: task_context: cannot read .*\/taskcluster\/kinds\/k\/context\.yml: no such file \(from-file is relative to .*, the directory holding the taskgraph root\)/,
    );
    assert.match(await refused(task('{from-file: c.yml, substitution-fields: [description]}'), { 'c.yml': '[a, b]\n' }), /task-context\.from-file: task_context: .*c\.yml must be a map of context names to values/);
  });

  test('a value the context does not have, naming the ones it has', async () => {
    assert.match(
      await refused(task('{from-object: {b: 1}, substitution-fields: [description]}')),
      /k\/kind\.yml:\d+:\d+: description: task_context: no value named "a" for "\{a\}" in "x \{a\}" \(expected one of the values given here: b, name;/,
    );
  });

  test('a keyed-by that matches nothing, at its by-* key', async () => {
    assert.match(
      await refused(`tasks:\n  t:\n    description: x\n    worker-type: {by-zone: {north: b-linux}}\n    task-context: {from-object: {zone: south}, substitution-fields: [worker-type]}\n    worker: {docker-image: d, max-run-time: 1, command: [x]}\n`),
      /k\/kind\.yml:\d+:\d+: worker-type\.by-zone: task_context, field worker-type: cannot resolve "by-zone": zone is "south", which matches none of the keys, and there is no "default" \(expected one of: north\)/,
    );
  });

  test('a section without substitution-fields, unknown keys, an unknown custom provider, a missing field', async () => {
    assert.match(await refused(task('{from-object: {a: 1}}')), /task-context: missing required key "substitution-fields"/);
    assert.match(await refused(task('{from_object: {a: 1}, substitution-fields: []}')), /task-context\.from_object: unknown key "from_object" \(did you mean "from-object"\?\)/);
    assert.match(await refused(task('{from-custom: [vault], substitution-fields: []}')), /task-context\.from-custom\[0\]: task_context: no context provider named "vault" \(no providers are registered\)/);
    assert.match(await refused(task('{from-object: {a: 1}, substitution-fields: [description, routes]}')), /task-context\.substitution-fields\[1\]: task_context: the task has no field "routes"/);
  });

  test('the module spelt with a dash, as taskgraph\'s documentation once had it', async () => {
    const root = trees.tree({ 'taskcluster/kinds/k/kind.yml': `transforms:\n  - taskgraph.transforms.task-context:transforms\n  - taskgraph.transforms.task:transforms\ntasks: {}\n` });
    assert.match(oneError(await trees.errors(root)), /transforms\[0\]: transform module "taskgraph\.transforms\.task-context:transforms" is not supported: the module is taskgraph\.transforms\.task_context, with an underscore/);
  });
});
