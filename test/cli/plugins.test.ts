// A repository's own transforms (kind.yml naming a TypeScript or JavaScript
// module as taskgraph names a Python one), through the command: the worked
// example, the compile cache, threads, and each way a plugin can be wrong.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateJsonInShards } from '../../src/transform/parallel/generate-in-shards.js';
import { fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-plugins-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');
const example = join(fixtures, 'plugins', 'taskcluster');
/** Each test its own cache, so that none depends on what another compiled. */
const cacheEnv = (name: string) => ({ ...process.env, TC_PAYLOAD_CACHE_DIR: join(scratch, `cache-${name}`) });

const generate = (root: string, env: NodeJS.ProcessEnv, extra: string[] = []) =>
  runCli(['generate', '--root', root, '--params', params, ...extra], { env });

const CONFIG = `trust-domain: widget
task-priority: low
taskgraph:
    repositories:
        widget:
            name: Widget
workers:
    aliases: {}
`;

const KIND = (module: string) => `transforms:
    - ${module}
    - taskgraph.transforms.task:transforms
task-defaults:
    worker-type: succeed
tasks:
    one:
        description: first
    two:
        description: second
`;

/** A tree whose kind `k` runs `module`, with the files given (paths under taskcluster/). */
function tree(name: string, module: string, files: Record<string, string>): string {
  const root = join(scratch, name, 'taskcluster');
  mkdirSync(join(root, 'kinds', 'k'), { recursive: true });
  writeFileSync(join(root, 'config.yml'), CONFIG);
  writeFileSync(join(root, 'kinds', 'k', 'kind.yml'), KIND(module));
  for (const [file, text] of Object.entries(files)) {
    const path = join(root, '..', file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

test('the worked example generates, with the routes its transform adds from the parameters', () => {
  const result = generate(example, cacheEnv('example'));
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { task: { routes: string[] } }>;
  assert.deepEqual(Object.keys(graph).sort(), ['build-package', 'hello-greet', 'hello-wave', 'notice-release', 'packages-all-tested', 'packages-test-alpha', 'packages-test-beta', 'signing-package']);
  assert.ok(
    graph['hello-wave']!.task.routes.includes('index.widget.v2.widget.revision.8f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b.wave'),
    JSON.stringify(graph['hello-wave']!.task.routes),
  );
});

test('the example\'s loader makes one task per package of the repository, and passes on the kind.yml tasks after them and the kind-dependencies', () => {
  const result = generate(example, cacheEnv('example-loader'));
  assert.equal(result.status, 0, result.stderr);
  type Out = { attributes: Record<string, unknown>; dependencies: Record<string, string>; task: { payload: { command: string[]; image: string }; metadata: { description: string }; routes: string[] } };
  const graph = JSON.parse(result.stdout) as Record<string, Out>;
  const beta = graph['packages-test-beta']!;
  assert.equal(beta.attributes.package, '@widget/beta');
  assert.deepEqual(beta.task.payload.command, ['npm', 'test', '--workspace', '@widget/beta']);
  assert.equal(beta.task.payload.image, 'node:20', 'task-defaults of kind.yml applied by the loader');
  assert.equal(beta.task.metadata.description, 'run the tests of @widget/beta');
  assert.ok(beta.task.routes.some((route) => route.endsWith('.test-beta')), 'the kind\'s transforms ran over the loaded tasks');
  assert.deepEqual(graph['packages-all-tested']!.dependencies, {
    'test-alpha': 'packages-test-alpha',
    'test-beta': 'packages-test-beta',
    'hello-greet': 'hello-greet',
    'hello-wave': 'hello-wave',
  });
  assert.equal(graph['packages-all-tested']!.task.payload.image, 'node:20');
  assert.ok(!Object.keys(graph).some((label) => label.includes('notes')), 'packages/notes has no package.json');
});

test('--jobs 2 writes the same bytes as --jobs 1 on the example, its threads loading the plugin themselves', async () => {
  const env = cacheEnv('jobs');
  const one = generate(example, env, ['--jobs', '1']);
  const two = generate(example, env, ['--jobs', '2']);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  // The command falls back to one thread when a thread fails: check that two threads did it.
  const previous = process.env.TC_PAYLOAD_CACHE_DIR;
  process.env.TC_PAYLOAD_CACHE_DIR = env.TC_PAYLOAD_CACHE_DIR;
  try {
    const sharded = await generateJsonInShards({ root: example, paramsFile: params } as never, { width: 2, force: true });
    assert.equal(sharded?.shards, 2);
    assert.equal(sharded.text, one.stdout);
  } finally {
    if (previous === undefined) delete process.env.TC_PAYLOAD_CACHE_DIR;
    else process.env.TC_PAYLOAD_CACHE_DIR = previous;
  }
});

test('the compiled plugin is cached by content: reused when nothing changed, compiled again when an imported file changes', () => {
  const root = join(scratch, 'cached');
  cpSync(join(fixtures, 'plugins'), root, { recursive: true });
  const env = cacheEnv('cached');
  const cache = join(env.TC_PAYLOAD_CACHE_DIR!, 'plugins');
  assert.equal(generate(join(root, 'taskcluster'), env).status, 0);
  // One per plugin module named in the tree (its transforms, its loader and its register); the schemas register adds have checks of their own.
  const compiled = readdirSync(cache).filter((f) => f.endsWith('.cjs') && !f.startsWith('schema-'));
  assert.equal(compiled.length, 4);
  const firstMtimes = compiled.map((file) => statSync(join(cache, file)).mtimeMs);
  assert.equal(generate(join(root, 'taskcluster'), env).status, 0);
  assert.deepEqual(
    compiled.map((file) => statSync(join(cache, file)).mtimeMs),
    firstMtimes,
    'a warm run compiled again',
  );

  writeFileSync(
    join(root, 'taskcluster', 'self_taskgraph', 'util', 'routes.ts'),
    'export const indexRoute = (...parts: string[]) => `changed.${parts.join(".")}`;\n',
  );
  const changed = generate(join(root, 'taskcluster'), env);
  assert.equal(changed.status, 0, changed.stderr);
  assert.match(changed.stdout, /"changed\.widget\.widget\.8f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b\.greet"/);
});

test('a module name that matches no file says what was looked for, at its line in kind.yml', () => {
  const root = tree('missing', 'self_taskgraph.transforms.nothing:transforms', {});
  const result = generate(root, cacheEnv('missing'));
  assert.equal(result.status, 1);
  const kindYml = join(root, 'kinds', 'k', 'kind.yml');
  assert.match(result.stderr, new RegExp(`${kindYml}:2:7: .*no plugin file for module self_taskgraph\\.transforms\\.nothing`));
  assert.ok(result.stderr.includes(join(root, 'self_taskgraph', 'transforms', 'nothing.ts')), result.stderr);
  assert.ok(result.stderr.includes(join(root, '..', 'self_taskgraph', 'transforms', 'nothing.ts')), result.stderr);
  assert.match(result.stderr, /package "self_taskgraph" in node_modules/);
});

test('a module that is still Python says so, and where its port goes, instead of listing every place looked in', () => {
  const root = tree('python', 'self_taskgraph.transforms.add_pr_route', {
    'taskcluster/self_taskgraph/transforms/add_pr_route.py': 'def transforms(config, tasks):\n    yield from tasks\n',
  });
  const result = generate(root, cacheEnv('python'));
  assert.equal(result.status, 1);
  const python = join(root, 'self_taskgraph', 'transforms', 'add_pr_route.py');
  assert.ok(result.stderr.includes(`${join(root, 'kinds', 'k', 'kind.yml')}:2:7: `), result.stderr);
  assert.ok(result.stderr.includes(`module self_taskgraph.transforms.add_pr_route is Python (${python}), which tc-payload does not run`), result.stderr);
  assert.ok(result.stderr.includes(`${join(root, 'self_taskgraph', 'transforms', 'add_pr_route.ts')}; docs/plugins.md`), result.stderr);
  assert.doesNotMatch(result.stderr, /node_modules/);
});

test('a module without the named export lists what it does export', () => {
  const root = tree('no-export', 'self_taskgraph.transforms.x:missing', {
    'taskcluster/self_taskgraph/transforms/x.ts': 'export const transforms = [];\n',
  });
  const result = generate(root, cacheEnv('no-export'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kind\.yml:2:7: .*exports no "missing" \(expected one of its exports: transforms\)/);
});

test('a plugin that throws is reported at its own .ts line, with the task it was transforming, and no stack', () => {
  const file = 'taskcluster/self_taskgraph/transforms/fails.ts';
  const root = tree('throws', 'self_taskgraph.transforms.fails:transforms', {
    [file]: [
      "import type { TaskDescription, TransformConfig } from 'tc-payload';",
      '',
      'interface Shape { size: number }',
      'export function* transforms(_config: TransformConfig, tasks: Iterable<TaskDescription>) {',
      '  for (const task of tasks) {',
      "    if (task.name === 'two') throw new Error(`no size for ${task.name}`);",
      '    yield task;',
      '  }',
      '}',
      '',
    ].join('\n'),
  });
  const result = generate(root, cacheEnv('throws'));
  assert.equal(result.status, 1);
  const at = join(root, '..', file);
  assert.match(result.stderr, new RegExp(`${at}:6:\\d+: .*transform transforms of "self_taskgraph\\.transforms\\.fails:transforms" failed on task k-two: Error: no size for two`));
  assert.doesNotMatch(result.stderr, /^\s+at /m);
});

test('an exception in a module the plugin imports is reported at that module\'s line', () => {
  const helper = 'taskcluster/self_taskgraph/util/sizes.ts';
  const root = tree('throws-in-helper', 'self_taskgraph.transforms.uses_helper', {
    [helper]: "export function sizeOf(name: string): number {\n  throw new RangeError(`unknown size ${name}`);\n}\n",
    'taskcluster/self_taskgraph/transforms/uses_helper.ts':
      "import { sizeOf } from '../util/sizes.js';\nexport const transforms = [(_c: unknown, tasks: Iterable<{ name?: string }>) => [...tasks].map((t) => ({ ...t, size: sizeOf(String(t.name)) }))];\n",
  });
  const result = generate(root, cacheEnv('throws-in-helper'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(root, '..', helper)}:2:\\d+: .*failed on one of tasks k-one, k-two, taken and not yet yielded .*: RangeError: unknown size one`));
});

test('a plugin that yields something other than a task description is a located error', () => {
  const root = tree('yields-bad', 'self_taskgraph.transforms.bad:transforms', {
    'taskcluster/self_taskgraph/transforms/bad.js': [
      'export function* transforms(config, tasks) {',
      '  for (const task of tasks) {',
      "    if (task.name === 'one') yield 'one';",
      '    else yield { ...task, extra: { when: new Date(0) } };',
      '  }',
      '}',
      '',
    ].join('\n'),
  });
  const result = generate(root, cacheEnv('yields-bad'));
  assert.equal(result.status, 1);
  const kindYml = join(root, 'kinds', 'k', 'kind.yml');
  assert.match(result.stderr, new RegExp(`${kindYml}:8:9: .*yielded a value that is not JSON data at the task \\(a string\\) while transforming task k-one`));
  assert.match(result.stderr, new RegExp(`${kindYml}:10:9: .*yielded a value that is not JSON data at extra\\.when \\(a Date\\) while transforming task k-two`));
});

test('async transforms: an async generator that awaits between tasks, and an async function returning an array', () => {
  const root = tree('async', 'self_taskgraph.transforms.waits:transforms', {
    'taskcluster/self_taskgraph/transforms/waits.ts': [
      "import { readFile } from 'node:fs/promises';",
      "import { TransformSequence, type TaskDescription, type TransformConfig } from 'tc-payload';",
      'export const transforms = new TransformSequence();',
      'transforms.add(async function* fromFile(config: TransformConfig, tasks: Iterable<TaskDescription>) {',
      '  for (const task of tasks) {',
      '    await new Promise((resolve) => setTimeout(resolve, 5));',
      "    const note = (await readFile(`${config.path}/note.txt`, 'utf8')).trim();",
      '    yield { ...task, description: `${note} ${String(task.name)}` };',
      '  }',
      '});',
      'transforms.add(async (_config: TransformConfig, tasks: Iterable<TaskDescription>) => {',
      '  await new Promise((resolve) => setImmediate(resolve));',
      "  return [...tasks].map((task) => ({ ...task, tags: { waited: 'yes' } }));",
      '});',
      '',
    ].join('\n'),
    'taskcluster/kinds/k/note.txt': 'read from a file for\n',
  });
  const result = generate(root, cacheEnv('async'));
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { task: { metadata: { description: string }; tags: Record<string, string> } }>;
  assert.deepEqual(Object.keys(graph), ['k-one', 'k-two']);
  assert.equal(graph['k-one']!.task.metadata.description, 'read from a file for one');
  assert.equal(graph['k-two']!.task.metadata.description, 'read from a file for two');
  assert.equal(graph['k-two']!.task.tags.waited, 'yes');
});

test('an async transform that rejects is reported at its own line, with its task; one whose promise can never settle is an error, not a silent exit', () => {
  const file = 'taskcluster/self_taskgraph/transforms/rejects.ts';
  const root = tree('rejects', 'self_taskgraph.transforms.rejects:transforms', {
    [file]: [
      "import type { TaskDescription } from 'tc-payload';",
      'export async function* transforms(_config: unknown, tasks: Iterable<TaskDescription>) {',
      '  for (const task of tasks) {',
      '    await Promise.resolve();',
      "    if (task.name === 'two') throw new TypeError('two cannot wait');",
      '    yield task;',
      '  }',
      '}',
      '',
    ].join('\n'),
  });
  const result = generate(root, cacheEnv('rejects'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(root, '..', file)}:5:\\d+: .*transform transforms of "self_taskgraph\\.transforms\\.rejects:transforms" failed on task k-two: TypeError: two cannot wait`));
  assert.doesNotMatch(result.stderr, /^\s+at /m);

  const hangs = tree('hangs', 'self_taskgraph.transforms.hangs:transforms', {
    'taskcluster/self_taskgraph/transforms/hangs.ts': [
      'export const transforms = [',
      '  // Waits for a callback that nothing will ever make.',
      '  (_config: unknown, tasks: Iterable<unknown>) => new Promise<unknown[]>(() => void [...tasks]),',
      '];',
      '',
    ].join('\n'),
  });
  for (const jobs of ['1', '2']) {
    const hung = generate(hangs, cacheEnv('hangs'), ['--jobs', jobs]);
    assert.equal(hung.status, 1, hung.stderr);
    assert.match(
      hung.stderr,
      new RegExp(`${join(hangs, 'kinds', 'k', 'kind.yml')}:2:7: .*transform \\(anonymous\\) of "self_taskgraph\\.transforms\\.hangs:transforms" \\(.*hangs\\.ts\\) returned a promise that never settled on one of tasks k-one, k-two`),
    );
    assert.equal(hung.stdout, '');
  }

  const notTasks = tree('promise-of-number', 'self_taskgraph.transforms.number:transforms', {
    'taskcluster/self_taskgraph/transforms/number.js': 'export const transforms = [async function count(config, tasks) { return [...tasks].length; }];\n',
  });
  const counted = generate(notTasks, cacheEnv('number'));
  assert.equal(counted.status, 1);
  assert.match(counted.stderr, /kind\.yml:2:7: .*transform count of .* returned a promise of a number \(expected a generator/);
});

/** A tree whose kind `k` (after kind `base`) is made by `loader`, with the files given (paths under the repository). */
function loaderTree(name: string, loader: string, files: Record<string, string>): string {
  const root = tree(name, 'self_taskgraph.transforms.none', { 'taskcluster/self_taskgraph/transforms/none.js': 'export const transforms = [];\n', ...files });
  mkdirSync(join(root, 'kinds', 'base'), { recursive: true });
  writeFileSync(join(root, 'kinds', 'base', 'kind.yml'), 'task-defaults:\n    worker-type: succeed\ntasks:\n    first:\n        description: a base task\n        attributes: {flavour: plain}\n');
  mkdirSync(join(root, 'kinds', 'other'), { recursive: true });
  writeFileSync(join(root, 'kinds', 'other', 'kind.yml'), 'task-defaults:\n    worker-type: succeed\ntasks:\n    unrelated:\n        description: not a kind-dependency of k\n');
  writeFileSync(
    join(root, 'kinds', 'k', 'kind.yml'),
    `loader: ${loader}\nkind-dependencies:\n    - base\ntransforms:\n    - taskgraph.transforms.task:transforms\ntask-defaults:\n    worker-type: succeed\ntasks:\n    written:\n        description: written in kind.yml\n`,
  );
  return root;
}

test('a loader is given the kind-dependencies\' tasks and the default tasks, and its tasks go through the kind\'s transforms', () => {
  const root = loaderTree('loader', 'self_taskgraph.loader.mine:loader', {
    'taskcluster/self_taskgraph/loader/mine.ts': [
      "import type { Loader } from 'tc-payload';",
      'export const loader: Loader = (kind, _path, config, params, loadedTasks, helpers) => [',
      '  ...helpers.defaultTasks().map((task) => ({ ...task, description: `${task.description} (${task["task-from"]})` })),',
      '  ...loadedTasks.map((earlier) => ({',
      "    name: `after-${earlier.label}`,",
      "    description: `${kind} after ${earlier.label} (${String(earlier.attributes.flavour)}, ${earlier.task.workerType}) for ${String(params.project)}; dependencies: ${String(config['kind-dependencies'])}`,",
      "    'worker-type': 'succeed',",
      '    dependencies: { earlier: earlier.label },',
      '  })),',
      '];',
      '',
    ].join('\n'),
  });
  const result = generate(root, cacheEnv('loader'));
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { dependencies: Record<string, string>; task: { metadata: { description: string } } }>;
  assert.deepEqual(Object.keys(graph).sort(), ['base-first', 'k-after-base-first', 'k-written', 'other-unrelated']);
  assert.equal(graph['k-written']!.task.metadata.description, 'written in kind.yml (kind.yml)');
  assert.equal(graph['k-after-base-first']!.task.metadata.description, 'k after base-first (plain, succeed) for widget; dependencies: base');
  assert.deepEqual(graph['k-after-base-first']!.dependencies, { earlier: 'base-first' });

  const one = generate(root, cacheEnv('loader'), ['--jobs', '1']);
  const three = generate(root, cacheEnv('loader'), ['--jobs', '3']);
  assert.equal(three.stdout, one.stdout);
});

test('a transform reads the kind-dependencies\' tasks (config.kindDependenciesTasks), with --jobs too', () => {
  const root = loaderTree('dependency-tasks', 'taskgraph.loader.default:loader', {
    'taskcluster/self_taskgraph/transforms/follow.ts': [
      "import { TransformSequence } from 'tc-payload';",
      'export const transforms = new TransformSequence();',
      'transforms.add(function* (config, tasks) {',
      '  for (const task of tasks) {',
      '    yield task;',
      '    for (const earlier of config.kindDependenciesTasks) {',
      "      yield { name: `${String(task.name)}-after-${earlier.label}`, description: `after ${earlier.label} (${earlier.kind}, ${String(earlier.attributes.flavour)})`, 'worker-type': 'succeed', dependencies: { earlier: earlier.label } };",
      '    }',
      '  }',
      '});',
      '',
    ].join('\n'),
  });
  writeFileSync(
    join(root, 'kinds', 'k', 'kind.yml'),
    'kind-dependencies:\n    - base\ntransforms:\n    - self_taskgraph.transforms.follow\n    - taskgraph.transforms.task:transforms\ntasks:\n    written:\n        description: written in kind.yml\n        worker-type: succeed\n',
  );
  const one = generate(root, cacheEnv('dependency-tasks'), ['--jobs', '1']);
  assert.equal(one.status, 0, one.stderr);
  const graph = JSON.parse(one.stdout) as Record<string, { dependencies: Record<string, string>; task: { metadata: { description: string } } }>;
  assert.deepEqual(Object.keys(graph).sort(), ['base-first', 'k-written', 'k-written-after-base-first', 'other-unrelated']);
  assert.equal(graph['k-written-after-base-first']!.task.metadata.description, 'after base-first (base, plain)');
  assert.deepEqual(graph['k-written-after-base-first']!.dependencies, { earlier: 'base-first' });
  // A thread that did not generate base itself falls back to one thread rather than reading no tasks.
  for (const jobs of ['2', '3']) assert.equal(generate(root, cacheEnv('dependency-tasks'), ['--jobs', jobs]).stdout, one.stdout, `--jobs ${jobs}`);
});

test('a loader that throws is reported at its own line; one that yields bad tasks, at the loader entry of kind.yml', () => {
  const file = 'taskcluster/self_taskgraph/loader/fails.ts';
  const root = loaderTree('loader-throws', 'self_taskgraph.loader.fails:loader', {
    [file]: [
      'export async function* loader() {',
      "  yield { name: 'fine', 'worker-type': 'succeed', description: 'made' };",
      "  throw new Error('the package list is unreadable');",
      '}',
      '',
    ].join('\n'),
  });
  const thrown = generate(root, cacheEnv('loader-throws'));
  assert.equal(thrown.status, 1);
  assert.match(thrown.stderr, new RegExp(`${join(root, '..', file)}:3:\\d+: .*loader "self_taskgraph\\.loader\\.fails:loader" \\(.*fails\\.ts\\) failed after task "fine": Error: the package list is unreadable`));
  assert.doesNotMatch(thrown.stderr, /^\s+at /m);

  const bad = loaderTree('loader-bad', 'self_taskgraph.loader.bad:loader', {
    'taskcluster/self_taskgraph/loader/bad.js': [
      'export function* loader() {',
      "  yield { name: 'good', 'worker-type': 'succeed', description: 'fine' };",
      "  yield { 'worker-type': 'succeed', description: 'no name' };",
      "  yield { name: 'dated', 'worker-type': 'succeed', description: 'x', extra: { when: new Date(0) } };",
      "  yield 'a string';",
      "  yield { name: 'good', 'worker-type': 'succeed', description: 'again' };",
      '}',
      '',
    ].join('\n'),
  });
  const result = generate(bad, cacheEnv('loader-bad'));
  assert.equal(result.status, 1);
  const at = `${join(bad, 'kinds', 'k', 'kind.yml')}:1:9: loader: loader "self_taskgraph\\.loader\\.bad:loader" \\(.*bad\\.js\\)`;
  assert.match(result.stderr, new RegExp(`${at} yielded a task without a name, after task "good"`));
  assert.match(result.stderr, new RegExp(`${at} yielded a value that is not JSON data at extra\\.when \\(a Date\\) \\(after task "good"\\)`));
  assert.match(result.stderr, new RegExp(`${at} yielded a value that is not JSON data at the task \\(a string\\)`));
  assert.match(result.stderr, new RegExp(`${at} yielded task "good" twice`));

  const invalid = loaderTree('loader-invalid', 'self_taskgraph.loader.invalid:loader', {
    'taskcluster/self_taskgraph/loader/invalid.js': [
      'export async function loader(kind, path, config, params, loadedTasks, helpers) {',
      "  return [...helpers.defaultTasks().map((t) => ({ ...t, priority: 'urgent' })), { name: 'made', 'worker-type': 'succeed', description: 'x', priority: 'urgent' }];",
      '}',
      '',
    ].join('\n'),
  });
  const refused = generate(invalid, cacheEnv('loader-invalid'));
  assert.equal(refused.status, 1);
  const kindYml = join(invalid, 'kinds', 'k', 'kind.yml');
  assert.match(refused.stderr, new RegExp(`${kindYml}:1:9: .*priority`), 'a task made by the loader: at the loader entry');
  assert.match(refused.stderr, new RegExp(`${kindYml}:10:9: .*priority`), 'a default task the loader passed on: at the task in kind.yml');

  const hangs = loaderTree('loader-hangs', 'self_taskgraph.loader.hangs:loader', {
    'taskcluster/self_taskgraph/loader/hangs.ts': 'export const loader = () => new Promise<never>(() => {});\n',
  });
  const hung = generate(hangs, cacheEnv('loader-hangs'), ['--jobs', '2']);
  assert.equal(hung.status, 1);
  assert.match(hung.stderr, /kind\.yml:1:9: loader: loader "self_taskgraph\.loader\.hangs:loader" \(.*hangs\.ts\) returned a promise that never settled/);
});

test('a loader module that is missing, or exports no function, is an error at the loader entry; taskgraph\'s other loaders stay refused', () => {
  const missing = loaderTree('loader-missing', 'self_taskgraph.loader.nothing:loader', {});
  const result = generate(missing, cacheEnv('loader-missing'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kind\.yml:1:9: loader: loader "self_taskgraph\.loader\.nothing:loader": no plugin file for module self_taskgraph\.loader\.nothing \(expected one of: .*nothing\.ts/);

  const notFunction = loaderTree('loader-object', 'self_taskgraph.loader.object:loader', {
    'taskcluster/self_taskgraph/loader/object.ts': "export const loader = { tasks: ['a'] };\n",
  });
  const object = generate(notFunction, cacheEnv('loader-object'));
  assert.equal(object.status, 1);
  assert.match(object.stderr, /kind\.yml:1:9: .*exports "loader" as an object \(expected a loader function/);

  const upstream = loaderTree('loader-upstream', 'taskgraph.loader.test:loader', {});
  const refused = generate(upstream, cacheEnv('loader-upstream'));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /kind\.yml:1:9: loader: loader "taskgraph\.loader\.test:loader" is not supported/);
});

test('a task a plugin leaves invalid fails validation at the task in kind.yml', () => {
  const root = tree('invalid', 'self_taskgraph.transforms.invalid:transforms', {
    'taskcluster/self_taskgraph/transforms/invalid.ts': [
      "import { TransformSequence } from 'tc-payload';",
      'export const transforms = new TransformSequence();',
      'transforms.add(function* (_config, tasks) {',
      "  for (const task of tasks) yield { ...task, priority: 'urgent' };",
      '});',
      '',
    ].join('\n'),
  });
  const result = generate(root, cacheEnv('invalid'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kind\.yml:\d+:\d+: .*priority/);
});

test('a plugin that does not compile is reported at its own file:line:column', () => {
  const file = 'taskcluster/self_taskgraph/transforms/broken.ts';
  const root = tree('broken', 'self_taskgraph.transforms.broken:transforms', {
    [file]: 'export const transforms = [\n  function (config, tasks) { return tasks }\n  function () {}\n];\n',
  });
  const result = generate(root, cacheEnv('broken'));
  assert.equal(result.status, 1);
  assert.ok(result.stderr.includes(`${join(root, '..', file)}:3:`), result.stderr);
});

test('a plugin that uses import.meta (empty in the compiled module) is an error at that use, not an undefined at run time', () => {
  const helper = 'taskcluster/self_taskgraph/util/here.ts';
  const root = tree('import-meta', 'self_taskgraph.transforms.uses_meta:transforms', {
    'taskcluster/self_taskgraph/transforms/uses_meta.ts': "import { here } from '../util/here.js';\nexport const transforms = [function* (config, tasks) { for (const t of tasks) yield { ...t, description: here }; }];\n",
    [helper]: "// where this file is\nexport const here = new URL('.', import.meta.url).pathname;\n",
  });
  const result = generate(root, cacheEnv('import-meta'));
  assert.equal(result.status, 1);
  assert.ok(result.stderr.includes(`${join(root, '..', helper)}:2:34: import.meta is not available in a plugin`), result.stderr);
  assert.match(result.stderr, /config\.path/);
});

test('a plugin from a package in node_modules, and from the repository root', () => {
  const root = tree('package', 'widget_plugins.transforms:transforms', {
    'node_modules/widget_plugins/package.json': '{"name": "widget_plugins", "version": "1.0.0"}\n',
    'node_modules/widget_plugins/transforms.js':
      "exports.transforms = [function* (config, tasks) { for (const t of tasks) yield { ...t, description: 'from a package' }; }];\n",
  });
  const result = generate(root, cacheEnv('package'));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /"description": "from a package"/);

  const atRoot = tree('repository-root', 'src.loader:transforms', {
    'src/loader.ts': "export const transforms = [function* (_c: unknown, tasks: Iterable<{ description?: string }>) { for (const t of tasks) yield { ...t, description: 'beside taskcluster' }; }];\n",
  });
  const second = generate(atRoot, cacheEnv('package'));
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /"description": "beside taskcluster"/);
  assert.ok(existsSync(join(scratch, 'cache-package', 'plugins')));
});

test('a cache that cannot be written is an error naming it and what to do', () => {
  const root = tree('unwritable', 'self_taskgraph.transforms.fine', {
    'taskcluster/self_taskgraph/transforms/fine.ts': 'export const transforms = [];\n',
  });
  const blocker = join(scratch, 'not-a-directory');
  writeFileSync(blocker, 'a file where the cache directory would be\n');
  const result = generate(root, { ...process.env, TC_PAYLOAD_CACHE_DIR: blocker });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kind\.yml:2:7: .*cannot write the compiled plugin into the cache .*not-a-directory\/plugins .*set TC_PAYLOAD_CACHE_DIR to a writable directory/);
});
