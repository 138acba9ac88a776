// `tc-payload lint --graph`: task graphs in taskgraph's JSON forms and in
// generate --resolve's, made by `generate` and by hand, linted through the CLI
// in each report format.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonReport } from '../../src/lint/format/json.js';
import { RULES } from '../../src/lint/rules.js';
import { runCli } from '../cli/run-cli.js';
import { bundledTree, params, repoRoot } from './lint-fixtures.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const scratch = mkdtempSync(join(tmpdir(), 'lint-graph-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = 'https://github.com/acme/widgets/blob/0123456789abcdef0123456789abcdef01234567/taskcluster/kinds/build';

/** A docker-worker task definition as taskgraph writes it. */
function definition(options: { label: string; level: string; caches: Record<string, string>; command?: unknown[]; scopes?: string[]; source?: boolean }) {
  return {
    provisionerId: `acme-${options.level}`,
    workerType: 'b-linux',
    schedulerId: `acme-level-${options.level}`,
    metadata: { name: options.label, description: '', owner: 'ci@example.org', ...(options.source === false ? {} : { source: SOURCE }) },
    scopes: options.scopes ?? Object.keys(options.caches).map((name) => ({ 'task-reference': `docker-worker:cache:${name}` })),
    tags: { kind: 'build', label: options.label, 'trust-domain': 'acme', 'worker-implementation': 'docker-worker' },
    payload: {
      image: 'debian:12',
      cache: options.caches,
      command: options.command ?? ['/usr/local/bin/run-task', '--', 'make'],
      maxRunTime: 600,
    },
  };
}

/** full-task-graph.json: label → task. */
function fullGraph(tasks: { label: string; dependencies?: Record<string, string>; task: Record<string, unknown> }[]) {
  return Object.fromEntries(
    tasks.map((t) => [t.label, { attributes: {}, dependencies: t.dependencies ?? {}, kind: 'build', label: t.label, optimization: null, soft_dependencies: [], task: t.task }]),
  );
}

const write = (name: string, data: unknown): string => {
  const file = join(scratch, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return file;
};

const lintJson = (...args: string[]) => {
  const result = runCli(['lint', ...args, '--format', 'json'], { cwd: scratch });
  return { status: result.status, stderr: result.stderr, report: JSON.parse(result.stdout) as JsonReport };
};

let level3: string;
let level1: string;

before(() => {
  level3 = write(
    'level3/full-task-graph.json',
    fullGraph([
      { label: 'build-run-task', task: definition({ label: 'build-run-task', level: '3', caches: { 'acme-level-3-cargo': '/builds/worker/.cargo' } }) },
      {
        label: 'build-plain',
        task: definition({ label: 'build-plain', level: '3', caches: { 'acme-level-3-cargo': '/builds/worker/.cargo' }, command: ['bash', '-c', 'make'] }),
      },
      {
        label: 'build-scopes',
        task: definition({
          label: 'build-scopes',
          level: '3',
          caches: { 'acme-level-3-pip': '/builds/worker/.pip', 'shared-tools': '/builds/worker/tools' },
          scopes: ['docker-worker:cache:shared-tools', 'docker-worker:cache:acme-level-3-old-pip', 'docker-worker:cache:acme-level-3-any-*'],
        }),
      },
    ]),
  );
  // task-graph.json: taskId → task, dependencies by task id; a level-1 graph of a pull request.
  const one = (taskId: string, label: string, dependsOn: string, caches: Record<string, string>) => ({
    label,
    task_id: taskId,
    kind: 'build',
    attributes: {},
    dependencies: { prior: dependsOn },
    optimization: null,
    task: { ...definition({ label, level: '1', caches, source: false }), dependencies: [dependsOn] },
  });
  level1 = write('level1/task-graph.json', {
    aaaaaaaaaaaaaaaaaaaaaa: one('aaaaaaaaaaaaaaaaaaaaaa', 'pr-one', 'bbbbbbbbbbbbbbbbbbbbbb', { 'shared-tools': '/builds/worker/tools' }),
    bbbbbbbbbbbbbbbbbbbbbb: one('bbbbbbbbbbbbbbbbbbbbbb', 'pr-two', 'aaaaaaaaaaaaaaaaaaaaaa', { 'acme-level-3-cargo': '/builds/worker/.cargo' }),
  });
});

describe('lint --graph on files made by generate', () => {
  test('its taskgraph JSON and its --resolve output give the findings of the tree, named by label and located by metadata.source', () => {
    const tree = runCli(['lint', '--root', bundledTree, '--params', params, '-p', 'level=3', '--format', 'json']);
    const fromTree = (JSON.parse(tree.stdout) as JsonReport).findings.map((f) => [f.rule, f.task]);
    assert.deepEqual(fromTree, [[RULES.cacheWithoutRunTask.id, 'lint-license']]);
    const generated = runCli(['generate', '--root', bundledTree, '--params', params]);
    const resolved = runCli(['generate', '--root', bundledTree, '--params', params, '--resolve', '--seed', 's', '--root-url', 'https://tc.example.org']);
    assert.equal(resolved.status, 0, resolved.stderr);
    const graphs = { 'full-task-graph.json': generated.stdout, 'resolved.json': resolved.stdout };
    for (const [name, text] of Object.entries(graphs)) {
      const file = write(`generated/${name}`, text);
      const { status, report } = lintJson('--graph', file);
      assert.equal(status, 0, name);
      assert.deepEqual(report.findings.map((f) => [f.rule, f.task]), fromTree, name);
      assert.deepEqual(report.configurations, [`${name}, level 3`]);
      assert.match(report.findings[0]!.location!.file, /^https:\/\/github\.com\/example\/widget\/blob\/[0-9a-f]{40}\/taskgraph-fixtures\/taskcluster\/kinds\/lint$/);
    }
  });
});

describe('lint --graph on graphs in taskgraph shapes, written by hand', () => {
  test('full-task-graph.json: the task checks and the new whole-graph checks, each naming the task', () => {
    const { status, report } = lintJson('--graph', level3);
    assert.equal(status, 1);
    const found = report.findings.map((f) => [f.rule, f.task, f.configurations.join('; ')]);
    const at3 = 'full-task-graph.json, level 3';
    assert.deepEqual(
      found.sort(),
      [
        [RULES.cacheRunTaskMixed.id, 'build-plain', at3],
        [RULES.cacheScopeMissing.id, 'build-scopes', at3],
        [RULES.cacheScopeUnused.id, 'build-scopes', at3],
        [RULES.cacheWithoutRunTask.id, 'build-plain', at3],
      ].sort(),
    );
    const mixed = report.findings.find((f) => f.rule === RULES.cacheRunTaskMixed.id)!;
    assert.match(mixed.message, /^cache "cargo" is used by task build-plain, whose command is not run-task, and by task build-run-task, whose command is; /);
    assert.deepEqual(mixed.location, { file: SOURCE, line: 1, column: 1 });
    const missing = report.findings.find((f) => f.rule === RULES.cacheScopeMissing.id)!;
    assert.match(missing.message, /mounts cache "pip" at \/builds\/worker\/\.pip but does not have the scope docker-worker:cache:acme-level-3-pip/);
    const unused = report.findings.find((f) => f.rule === RULES.cacheScopeUnused.id)!;
    assert.equal(unused.message, 'task build-scopes has the scope docker-worker:cache:acme-level-3-old-pip, but mounts no cache named acme-level-3-old-pip');
  });

  test('TASKCLUSTER_CACHES that does not list exactly the mounted caches (a graph edited by hand or made by another tool)', () => {
    const task = (label: string, listed: string) => {
      const t = definition({ label, level: '3', caches: { 'acme-level-3-cargo': '/builds/worker/.cargo', 'acme-level-3-pip': '/builds/worker/.pip/' } });
      return { label, task: { ...t, payload: { ...t.payload, env: { TASKCLUSTER_CACHES: listed } } } };
    };
    const file = write(
      'env/full-task-graph.json',
      fullGraph([
        task('build-exact', '/builds/worker/.cargo;/builds/worker/.pip'),
        task('build-short', '/builds/worker/.cargo;/builds/worker/src'),
      ]),
    );
    const { status, report } = lintJson('--graph', file);
    assert.equal(status, 1);
    assert.deepEqual(report.findings.map((f) => [f.rule, f.task]), [[RULES.cacheEnvMismatch.id, 'build-short']]);
    assert.equal(
      report.findings[0]!.message,
      'task build-short: TASKCLUSTER_CACHES does not match its caches: it mounts caches at /builds/worker/.pip that it does not list (run-task shares them unchecked), ' +
        'and lists /builds/worker/src, where no cache is mounted (run-task treats it as a cache)',
    );
    assert.equal(report.findings[0]!.yamlPath, 'payload.env.TASKCLUSTER_CACHES');
  });

  test('task-graph.json: dependencies by task id are followed to labels; a task without metadata.source is located by the file', () => {
    const { report } = lintJson('--graph', level1);
    const cycle = report.findings.find((f) => f.rule === RULES.dependencyCycle.id)!;
    assert.equal(cycle.message, 'dependency cycle: pr-one → pr-two → pr-one');
    assert.equal(cycle.task, 'pr-one');
    assert.equal(cycle.location!.file, 'level1/task-graph.json');
    // A cache named for level 3 in a level-1 task: found in one graph alone.
    const named = report.findings.find((f) => f.rule === RULES.cacheSharedAcrossLevels.id)!;
    assert.equal(named.message, 'task pr-two runs at level 1 but mounts cache acme-level-3-cargo, which is named for level 3');
  });

  test('a level-1 and a level-3 graph given together are checked against each other', () => {
    const alone = lintJson('--graph', level3).report.findings.filter((f) => f.rule === RULES.cacheSharedAcrossLevels.id);
    assert.deepEqual(alone, []);
    const { report } = lintJson('--graph', level3, '--graph', level1);
    const across = report.findings.filter((f) => f.rule === RULES.cacheSharedAcrossLevels.id && f.task === 'pr-one');
    assert.equal(across.length, 1);
    assert.equal(
      across[0]!.message,
      'cache "shared-tools" (shared-tools) is used by task pr-one at level 1 and by task build-scopes at level 3; the lower level can then write what the higher one trusts',
    );
    assert.deepEqual(across[0]!.configurations, ['task-graph.json, level 1']);
    assert.deepEqual(across[0]!.related.map((r) => r.location.file), [SOURCE]);
    assert.deepEqual(report.configurations, ['full-task-graph.json, level 3', 'task-graph.json, level 1']);
  });

  test('human and SARIF output name the task and its metadata.source; the SARIF is valid 2.1.0', () => {
    const human = runCli(['lint', '--graph', level3], { cwd: scratch });
    assert.ok(
      human.stdout.includes(`${SOURCE}:1:1: error ${RULES.cacheRunTaskMixed.id}: cache "cargo" is used by task build-plain, whose command is not run-task`),
      human.stdout,
    );
    assert.match(human.stdout, /\ntc-payload lint: 2 errors, 2 warnings \(checked full-task-graph\.json, level 3\)\n$/);
    const sarif = runCli(['lint', '--graph', level3, '--graph', level1, '--format', 'sarif'], { cwd: scratch });
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[]; properties: { task?: string } }[] }[] };
    const mixed = log.runs[0]!.results.find((r) => r.ruleId === RULES.cacheRunTaskMixed.id)!;
    assert.deepEqual(mixed.locations[0]!.physicalLocation.artifactLocation, { uri: SOURCE });
    assert.equal(mixed.properties.task, 'build-plain');
    const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'lint', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
    const { $schema: _draft, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile({ ...rest, $id: id as string });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  });
});

describe('lint --graph: what it refuses, and directories', () => {
  test('invalid JSON is an error at its line and column', () => {
    const file = write('broken.json', '{\n  "a": {\n    "label": "a",\n  }\n}\n');
    const { status, report } = lintJson('--graph', file);
    assert.equal(status, 1);
    assert.equal(report.findings[0]!.rule, RULES.invalidGraphFile.id);
    assert.match(report.findings[0]!.message, /^the graph file is not valid JSON: /);
    assert.deepEqual(report.findings[0]!.location, { file: 'broken.json', line: 4, column: 3 });
    // The human summary says that no graph was checked, rather than an empty list.
    const human = runCli(['lint', '--graph', file], { cwd: scratch });
    assert.match(human.stdout + human.stderr, /tc-payload lint: 1 error, 0 warnings \(nothing was checked\)/);
  });

  test('a file over --max-file-size is refused before it is read', () => {
    const { status, report } = lintJson('--graph', level3, '--max-file-size', '1K');
    assert.equal(status, 1);
    assert.deepEqual(report.findings.map((f) => f.rule), [RULES.invalidGraphFile.id]);
    assert.match(report.findings[0]!.message, /^the graph file is \d+ bytes, over the limit of 1024 bytes$/);
    assert.match(report.findings[0]!.hint!, /--max-file-size/);
  });

  test('JSON that is no task graph, and a missing file, are errors naming the file', () => {
    const file = write('labels.json', { 'build-a': 'aaaaaaaaaaaaaaaaaaaaaa' });
    const { report } = lintJson('--graph', file, '--graph', join(scratch, 'nope.json'));
    assert.deepEqual(report.findings.map((f) => [f.rule, f.location?.file]), [
      [RULES.invalidGraphFile.id, 'labels.json'],
      [RULES.invalidGraphFile.id, 'nope.json'],
    ]);
    assert.match(report.findings[0]!.message, /^not a task graph: an entry is not an object \(at entry "build-a"\)$/);
  });

  test("a directory: every task graph in it, other JSON (a decision task's label-to-taskid.json) skipped with a note", () => {
    const dir = join(scratch, 'artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'full-task-graph.json'), readFileSync(level3));
    writeFileSync(join(dir, 'label-to-taskid.json'), JSON.stringify({ 'build-a': 'aaaaaaaaaaaaaaaaaaaaaa' }));
    const { status, report } = lintJson('--graph', dir);
    assert.equal(status, 1);
    assert.equal(report.findings.length, 4);
    assert.deepEqual(report.notes, [`skipped ${join(dir, 'label-to-taskid.json')}: not a task graph (an entry is not an object)`]);
  });

  test('--graph does not go with --root, --params or -p', () => {
    const result = runCli(['lint', '--graph', level3, '--params', params]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--graph lints task graphs that are already made, and does not go with --params/);
  });
});
