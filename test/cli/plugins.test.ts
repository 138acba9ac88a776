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
  assert.deepEqual(Object.keys(graph).sort(), ['build-package', 'hello-greet', 'hello-wave', 'notice-release', 'signing-package']);
  assert.ok(
    graph['hello-wave']!.task.routes.includes('index.widget.v2.widget.revision.8f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b.wave'),
    JSON.stringify(graph['hello-wave']!.task.routes),
  );
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
  // One per plugin module named in the tree (its transforms and its register); the schemas register adds have checks of their own.
  const compiled = readdirSync(cache).filter((f) => f.endsWith('.cjs') && !f.startsWith('schema-'));
  assert.equal(compiled.length, 3);
  const firstMtime = statSync(join(cache, compiled[0]!)).mtimeMs;
  assert.equal(generate(join(root, 'taskcluster'), env).status, 0);
  assert.equal(statSync(join(cache, compiled[0]!)).mtimeMs, firstMtime, 'a warm run compiled again');

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
