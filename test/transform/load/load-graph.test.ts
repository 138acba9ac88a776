import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnosticsOfAsync } from '../diagnostics-of.js';
import { type Diagnostic } from '../../../src/transform/diagnostics.js';
import type { LoadedGraph } from '../../../src/transform/model.js';
import { loadGraph, type LoadOptions } from '../../../src/transform/load/load-graph.js';
import { packageRoot } from '../../../src/transform/package-paths.js';

const FIXTURES = join(packageRoot, 'taskgraph-fixtures');
const BROKEN = join(FIXTURES, 'broken');

const failures = (options: LoadOptions): Promise<Diagnostic[]> => diagnosticsOfAsync(() => loadGraph(options));

/** `file:line` relative to the tree, for compact assertions. */
function where(d: Diagnostic, root: string): string {
  return d.location ? `${d.location.file.slice(root.length + 1)}:${d.location.line}` : '<none>';
}

describe('loadGraph on the example tree', () => {
  const root = join(FIXTURES, 'taskcluster');
  let graph: LoadedGraph;
  before(async () => {
    graph = await loadGraph({ root, paramsFile: join(FIXTURES, 'params.yml') });
  });

  it('loads kinds in dependency order, alphabetical among ready ones', async () => {
    assert.deepEqual(graph.kinds.map((k) => k.name), ['docker-image', 'build', 'lint', 'package', 'review', 'smoke', 'test']);
    assert.equal(graph.config['trust-domain'], 'widget');
    assert.equal(graph.params.level, '3');
    assert.equal(graph.params.trust_domain, 'widget');
  });

  it('reads tasks-from files in order and merges task-defaults into each task', async () => {
    const build = graph.kinds.find((k) => k.name === 'build')!;
    assert.deepEqual(build.tasks.map((t) => t.name), ['linux64-debug', 'linux64-opt', 'linux64-release']);
    assert.deepEqual(build.kindDependencies, ['docker-image']);
    assert.deepEqual(build.transforms, ['taskgraph.transforms.task:transforms']);
    const debug = build.tasks[0]!;
    assert.equal(debug.value['task-from'], 'linux.yml');
    assert.equal(debug.value['worker-type'], 'b-linux');
    const worker = debug.value.worker as Record<string, unknown>;
    assert.deepEqual(worker.env, { BUILD_TYPE: 'debug' });
    assert.deepEqual(worker['docker-image'], { 'in-tree': 'builder' });
    assert.equal((worker.caches as unknown[]).length, 1);
  });

  it('locates each task\'s values in the file that wrote them', async () => {
    const build = graph.kinds.find((k) => k.name === 'build')!;
    const release = build.tasks[2]!;
    assert.equal(basename(release.source.locate(['worker', 'env', 'BUILD_TYPE'])!.file), 'release.yml');
    assert.equal(basename(release.source.locate(['worker', 'max-run-time'])!.file), 'kind.yml');
    assert.deepEqual(release.source.locate(['scopes', 0]), { file: join(build.dir, 'release.yml'), line: 13, column: 11 });
    assert.equal(build.configSource.locate(['tasks-from', 1])!.line, 33);
  });

  it('applies -p overrides', async () => {
    const level1 = await loadGraph({ root, paramsFile: join(FIXTURES, 'params.yml'), overrides: { level: '1' } });
    assert.equal(level1.params.level, '1');
    assert.equal(level1.params.project, 'widget');
  });
});

describe('loadGraph on broken trees', () => {
  const tree = (name: string) => join(BROKEN, name);

  it('YAML syntax error: file, line, column and the parser\'s reason', async () => {
    const [d, ...rest] = await failures({ root: tree('yaml-syntax') });
    assert.equal(rest.length, 0);
    assert.equal(where(d!, tree('yaml-syntax')), 'kinds/build/kind.yml:5');
    assert.equal(d!.location!.column, 1);
    assert.match(d!.message, /^YAML syntax error: All mapping items must start at the same column/);
  });

  it('wrong type and a near-miss unknown key in kind.yml, both reported (the key as a warning), with a suggestion', async () => {
    const diagnostics = await failures({ root: tree('unknown-kind-key') });
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, where(d, tree('unknown-kind-key')), d.message, d.expected, d.hint]),
      [
        ['error', 'kinds/build/kind.yml:2', 'wrong type: found the string "docker-image"', 'a list', undefined],
        ['warning', 'kinds/build/kind.yml:3', 'unknown key "task-default" is ignored, as taskgraph ignores it', undefined, 'did you mean "task-defaults"?'],
      ],
    );
  });

  it('a kind-dependency cycle is named', async () => {
    const [d, ...rest] = await failures({ root: tree('kind-cycle') });
    assert.equal(rest.length, 0);
    assert.equal(d!.message, 'the kind dependencies form a cycle: alpha -> beta -> gamma -> alpha');
    assert.equal(where(d!, tree('kind-cycle')), 'kinds/alpha/kind.yml:2');
  });

  it('an unknown kind dependency and an unsupported loader', async () => {
    const diagnostics = await failures({ root: tree('unknown-kind-dependency') });
    assert.deepEqual(
      diagnostics.map((d) => [where(d, tree('unknown-kind-dependency')), d.message, d.hint]),
      [
        ['kinds/build/kind.yml:2', 'loader "taskgraph.loader.multi_dep:loader" is not supported', "taskgraph has no other loaders; a loader of the repository's own is named by its own module (docs/plugins.md)"],
        ['kinds/build/kind.yml:4', 'kind "build" depends on kind "docker-images", which does not exist', 'did you mean "docker-image"?'],
      ],
    );
  });

  it('a missing tasks-from file and a task defined twice', async () => {
    const diagnostics = await failures({ root: tree('tasks-from-missing') });
    assert.deepEqual(
      diagnostics.map((d) => [where(d, tree('tasks-from-missing')), d.message.replace(/ \(.*/, '')]),
      [
        ['kinds/build/linux.yml:2', 'task "hello" is defined twice in kind "build"'],
        ['kinds/build/kind.yml:9', 'tasks-from file "windows.yml" does not exist'],
      ],
    );
  });

  it('a bad graph config', async () => {
    const diagnostics = await failures({ root: tree('bad-config') });
    assert.deepEqual(
      diagnostics.map((d) => [where(d, tree('bad-config')), d.path?.join('.'), d.message]),
      [
        ['config.yml:2', 'trust-domain', 'the string "Demo" does not have the expected form'],
        ['config.yml:5', 'workers.aliases.b-linux', 'missing required key "worker-type"'],
        // implementation: dockerworker is not reported: as in taskgraph, config.yml takes any
        // implementation name, and only a task on that alias is an error (no payload builder).
      ],
    );
  });

  it('bad parameters and a missing parameters file', async () => {
    const bad = (await failures({ root: tree('kind-cycle'), paramsFile: join(BROKEN, 'params', 'bad.yml') })).filter((d) => d.path?.[0] !== 'kind-dependencies');
    assert.deepEqual(bad.map((d) => d.path?.join('.')), ['level', 'head_revision', 'build_date']);
    const missing = await failures({ root: tree('kind-cycle'), paramsFile: join(BROKEN, 'params', 'missing.yml') });
    assert.ok(missing.some((d) => /parameters file .*missing\.yml does not exist/.test(d.message)));
    const syntax = await failures({ root: tree('kind-cycle'), paramsFile: join(BROKEN, 'params', 'syntax.yml') });
    assert.ok(syntax.some((d) => d.location?.file.endsWith('syntax.yml') && d.message.startsWith('YAML syntax error')));
  });

  it('a root that is not a taskgraph tree, with a hint when the tree is one level down', async () => {
    const [d] = await failures({ root: FIXTURES });
    assert.match(d!.message, /has no config\.yml/);
    assert.equal(d!.hint, `did you mean --root ${join(FIXTURES, 'taskcluster')}?`);
  });
});

describe('loadGraph on generated trees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-graph-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const CONFIG = 'trust-domain: t\nworkers:\n  aliases:\n    a: {provisioner: p, implementation: docker-worker, os: linux, worker-type: w}\n';

  function writeTree(name: string, files: Record<string, string>): string {
    const root = join(dir, name);
    for (const [path, text] of Object.entries({ 'config.yml': CONFIG, ...files })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    mkdirSync(join(root, 'kinds'), { recursive: true });
    return root;
  }

  it('reports the problems of every file of a run together', async () => {
    const root = writeTree('many', {
      'config.yml': 'trust-domain: t\n',
      'kinds/a/kind.yml': 'tasks: {x: 1}\n',
      'kinds/b/kind.yml': 'tasks:\n  y: {a: [}\n',
      'kinds/c/kind.yml': 'tasks-from: [c.yml]\n',
      'kinds/c/c.yml': '- not a map\n',
    });
    const diagnostics = await failures({ root });
    const files = diagnostics.map((d) => (d.location ? d.location.file.slice(root.length + 1) : '<none>'));
    assert.deepEqual([...new Set(files)].sort(), ['config.yml', 'kinds/a/kind.yml', 'kinds/b/kind.yml', 'kinds/c/c.yml']);
  });

  it('warns that the job-* keys of older taskgraph versions are ignored, naming the current key', async () => {
    const root = writeTree('legacy', { 'kinds/k/kind.yml': 'job-defaults: {worker-type: a}\njobs:\n  one: {}\n' });
    const graph = await loadGraph({ root });
    assert.deepEqual(graph.kinds[0]!.tasks, []);
    assert.deepEqual(
      (graph.warnings ?? []).map((d) => [d.severity, where(d, root), d.message, d.hint]),
      [
        ['warning', 'kinds/k/kind.yml:1', '"job-defaults" is read only by older taskgraph versions; taskgraph 24 and tc-payload ignore it', 'rename it to "task-defaults"'],
        ['warning', 'kinds/k/kind.yml:2', '"jobs" is read only by older taskgraph versions; taskgraph 24 and tc-payload ignore it, so its tasks are not generated', 'rename it to "tasks"'],
      ],
    );
  });

  it('ignores other top-level keys of kind.yml, as taskgraph does (a meta: block of anchors), warning only of a near miss', async () => {
    const root = writeTree('extra-keys', {
      'kinds/k/kind.yml': 'meta:\n  env: &env {A: "1"}\nx-notes: anything\ntask-default: {}\ntasks:\n  one: {description: d, env: *env}\n',
    });
    const graph = await loadGraph({ root });
    assert.deepEqual(graph.kinds[0]!.tasks.map((t) => t.name), ['one']);
    assert.deepEqual(
      (graph.warnings ?? []).map((d) => [where(d, root), d.message, d.hint]),
      [['kinds/k/kind.yml:4', 'unknown key "task-default" is ignored, as taskgraph ignores it', 'did you mean "task-defaults"?']],
    );
  });

  it('keys of the kind\'s own say nothing, and hide no mistake elsewhere in kind.yml', async () => {
    const quiet = writeTree('own-keys', { 'kinds/k/kind.yml': 'packages-dir: packages\nmeta: {a: 1}\nconstructor: 1\ntasks:\n  one: {description: d}\n' });
    assert.deepEqual((await loadGraph({ root: quiet })).warnings ?? [], []);
    const broken = writeTree('own-keys-broken', { 'kinds/k/kind.yml': 'packages-dir: packages\ntransforms: 3\ntasks:\n  one: {description: d}\n' });
    assert.deepEqual(
      (await failures({ root: broken })).map((d) => [where(d, broken), d.path?.join('.')]),
      [['kinds/k/kind.yml:2', 'transforms']],
    );
  });

  it('accepts unknown parameters with a warning when config.yml registers the tree\'s own code, and refuses them otherwise', async () => {
    const params = 'level: "3"\nwidget_flavor: blue\n';
    // A tree whose register is still Python: not run here, with a warning.
    const registered = writeTree('register', {
      'config.yml': `${CONFIG}taskgraph:\n  register: widget_taskgraph:register\n`,
      'params.yml': params,
      'widget_taskgraph/__init__.py': 'def register(graph_config):\n    pass\n',
    });
    const graph = await loadGraph({ root: registered, paramsFile: join(registered, 'params.yml') });
    assert.equal(graph.params.widget_flavor, 'blue');
    assert.deepEqual(
      (graph.warnings ?? []).map((d) => [d.severity, where(d, registered), d.message]),
      [
        [
          'warning',
          'config.yml:6',
          `register "widget_taskgraph:register" is Python (${join(registered, 'widget_taskgraph', '__init__.py')}), which tc-payload does not run: the parameters, keyed-by values, run.using implementations and payload builders it registers are missing`,
        ],
        ['warning', 'params.yml:2', 'parameter "widget_flavor" is not one taskgraph declares; accepted because config.yml\'s taskgraph.register runs the tree\'s own code, which may declare it'],
      ],
    );
    const plain = writeTree('no-register', { 'params.yml': params });
    const [error, ...rest] = await failures({ root: plain, paramsFile: join(plain, 'params.yml') });
    assert.equal(rest.length, 0);
    assert.deepEqual([error!.severity, where(error!, plain), error!.message], ['error', 'params.yml:2', 'unknown key "widget_flavor"']);
  });

  it('holds per-repository parameters to config.yml\'s repositories, unless config.yml itself is broken', async () => {
    const repos = 'taskgraph:\n  repositories:\n    gadget: {name: G, project-regex: ^gadget$}\n    ci: {name: C, project-regex: ^ci$}\n';
    const params = 'project: gadget\nci_head_rev: abc\ncii_head_rev: abc\n';
    const good = writeTree('repo-params', { 'config.yml': CONFIG + repos, 'params.yml': params });
    const diagnostics = await failures({ root: good, paramsFile: join(good, 'params.yml') });
    assert.deepEqual(
      diagnostics.map((d) => [where(d, good), d.message, d.hint]),
      [['params.yml:3', 'parameter "cii_head_rev" is for a repository "cii", which config.yml does not declare', 'did you mean "ci_head_rev"?']],
    );
    // A config.yml without taskgraph: no repositories are declared.
    const none = writeTree('repo-params-none', { 'params.yml': 'ci_head_rev: abc\n' });
    assert.match((await failures({ root: none, paramsFile: join(none, 'params.yml') }))[0]!.message, /config\.yml declares no repositories/);
    // A config.yml that fails its schema: its own error, nothing about the parameters.
    const broken = writeTree('repo-params-broken', { 'config.yml': `${CONFIG}${repos}    tools: {name: [T]}\n`, 'params.yml': params });
    assert.deepEqual(
      (await failures({ root: broken, paramsFile: join(broken, 'params.yml') })).map((d) => [where(d, broken), d.path?.join('.')]),
      [['config.yml:9', 'taskgraph.repositories.tools.name']],
    );
  });

  it('applies a tasks-from file\'s own task-defaults over the kind\'s', async () => {
    const root = writeTree('file-defaults', {
      'kinds/k/kind.yml': 'task-defaults: {worker-type: a, tags: {a: kind}, scopes: [s1]}\ntasks-from: [more.yml]\n',
      'kinds/k/more.yml': 'task-defaults: {tags: {b: file}, scopes: [s2]}\none: {scopes: [s3], tags: {a: task}}\n',
    });
    const [kind] = (await loadGraph({ root })).kinds;
    const task = kind!.tasks[0]!;
    assert.deepEqual(task.value, { 'worker-type': 'a', tags: { a: 'task', b: 'file' }, scopes: ['s1', 's2', 's3'], 'task-from': 'more.yml' });
    assert.equal(basename(task.source.locate(['scopes', 0])!.file), 'kind.yml');
    assert.equal(basename(task.source.locate(['scopes', 1])!.file), 'more.yml');
    assert.equal(task.source.locate(['scopes', 1])!.line, 1);
    assert.equal(task.source.locate(['scopes', 2])!.line, 2);
  });

  // Its speed is bench/generate.ts's to measure, not a test's (a timed test fails on a busy machine).
  it('loads a 10,000-task tree spread over tasks-from files, every task with the defaults merged', async () => {
    const files: Record<string, string> = {
      'kinds/big/kind.yml': [
        'task-defaults:',
        '  worker-type: a',
        '  worker:',
        '    docker-image: {in-tree: base}',
        '    max-run-time: {by-level: {"3": 3600, default: 1800}}',
        '    caches: [{type: persistent, name: cargo, mount-point: /c}]',
        `tasks-from: [${Array.from({ length: 10 }, (_, i) => `part-${i}.yml`).join(', ')}]`,
        '',
      ].join('\n'),
    };
    for (let f = 0; f < 10; f++) {
      const lines: string[] = [];
      for (let t = 0; t < 1000; t++) {
        lines.push(`task-${f}-${t}:`, `  description: task ${t}`, '  worker:', `    env: {N: "${t}"}`, `    command: [run-task, --, make, t${t}]`);
      }
      files[`kinds/big/part-${f}.yml`] = `${lines.join('\n')}\n`;
    }
    const root = writeTree('big', files);
    const graph = await loadGraph({ root });
    assert.equal(graph.kinds[0]!.tasks.length, 10_000);
    const last = graph.kinds[0]!.tasks.at(-1)!;
    assert.equal(last.name, 'task-9-999');
    assert.deepEqual(last.value.worker, { 'docker-image': { 'in-tree': 'base' }, 'max-run-time': { 'by-level': { '3': 3600, default: 1800 } }, caches: [{ type: 'persistent', name: 'cargo', 'mount-point': '/c' }], env: { N: '999' }, command: ['run-task', '--', 'make', 't999'] });
  });
});
