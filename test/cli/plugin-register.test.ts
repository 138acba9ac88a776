// config.yml `taskgraph: register:` through the command: the worked example's
// parameter, keyed-by value, `run: using: bare` and signing payload builder,
// and each way a register function, or what it registers, can be wrong.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-plugin-register-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');
const example = join(fixtures, 'plugins', 'taskcluster');
const env = { ...process.env, TC_PAYLOAD_CACHE_DIR: join(scratch, 'cache') };

const generate = (root: string, extra: string[] = [], paramsFile = params) =>
  runCli(['generate', '--root', root, ...(paramsFile ? ['--params', paramsFile] : []), ...extra], { env });

type Graph = Record<string, { dependencies: Record<string, string>; task: { routes: string[]; scopes: string[]; priority: string; payload: Record<string, unknown> } }>;

const CONFIG = `trust-domain: widget
taskgraph:
    repositories:
        widget:
            name: Widget
    register: self_taskgraph:register
workers:
    aliases:
        b-linux:
            provisioner: widget-{level}
            implementation: docker-worker
            os: linux
            worker-type: b-linux
        signing:
            provisioner: scriptworker-k8s
            implementation: scriptworker-signing
            os: scriptworker
            worker-type: widget-{level}-signing
`;

/** A tree with config.yml above, `register` in self_taskgraph/index.ts, and the kinds given (name → kind.yml). */
function tree(name: string, register: string, kinds: Record<string, string>, files: Record<string, string> = {}): string {
  const root = join(scratch, name, 'taskcluster');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'config.yml'), CONFIG);
  for (const [kind, text] of Object.entries(kinds)) {
    mkdirSync(join(root, 'kinds', kind), { recursive: true });
    writeFileSync(join(root, 'kinds', kind, 'kind.yml'), text);
  }
  for (const [file, text] of Object.entries({ 'self_taskgraph/index.ts': register, ...files })) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const SUCCEED_KIND = `transforms:
    - taskgraph.transforms.task:transforms
tasks:
    one:
        worker-type: succeed
        description: first
`;

test('the worked example: the registered parameter, keyed-by value, bare run and signing payload builder', () => {
  const result = generate(example);
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Graph;

  // release_type is nightly by default: the transform's route and by-release-type follow it.
  assert.ok(graph['notice-release']!.task.routes.includes('index.widget.v2.widget.nightly.latest.release'), JSON.stringify(graph['notice-release']!.task.routes));
  assert.equal(graph['notice-release']!.task.priority, 'low');

  // run: using: bare made the docker-worker command; run-task is nowhere.
  const build = graph['build-package']!.task.payload;
  assert.deepEqual(build.command, ['bash', '-cx', 'cd /builds/worker && npm pack && mv widget-*.tgz widget.tgz']);
  assert.equal((build.env as Record<string, string>).WIDGET_LEVEL, '3');
  assert.ok(!JSON.stringify(build).includes('run-task'));

  const signing = graph['signing-package']!;
  assert.deepEqual(signing.dependencies, { build: 'build-package' });
  assert.deepEqual(signing.task.scopes, ['project:widget:releng:signing:cert:dep-signing']);
  assert.deepEqual(signing.task.payload, {
    upstreamArtifacts: [{ taskId: { 'task-reference': '<build>' }, taskType: 'build', paths: ['public/widget.tgz'], formats: ['gpg'] }],
    maxRunTime: 600,
  });
});

test('the registered parameter given on the command line changes the routes, the keyed-by choices and the signing scope', () => {
  const result = generate(example, ['-p', 'release_type=release']);
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Graph;
  assert.ok(graph['notice-release']!.task.routes.includes('index.widget.v2.widget.release.latest.release'));
  assert.equal(graph['notice-release']!.task.priority, 'high');
  assert.deepEqual(graph['signing-package']!.task.scopes, ['project:widget:releng:signing:cert:release-signing']);
});

test('a registered parameter is checked against its schema, located in params.yml', () => {
  // Checked by the cached check of the schema on this run (an earlier test compiled it), and worded by ajv.
  assert.equal(generate(example).status, 0);
  assert.ok(readdirSync(join(scratch, 'cache', 'plugins')).some((f) => /^schema-[0-9a-f]{64}\.cjs$/.test(f)));
  const file = join(scratch, 'bad-release-type.yml');
  writeFileSync(file, 'level: "3"\nproject: widget\nrelease_type: weekly\n');
  const result = generate(example, [], file);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${file}:3:15: release_type: the string "weekly" is not an allowed value \\(expected one of: "nightly", "beta", "release"\\)`));
  assert.doesNotMatch(result.stderr, /unknown key/);
  assert.equal(result.stdout, '');
});

test('a parameter nobody declares is still a warning in a tree that registers code', () => {
  const result = generate(example, ['-p', 'release_typo=beta']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /warning: .*parameter "release_typo" is not one taskgraph declares/);
});

test('defaults computed by a function of config.yml and the parameters; a throwing one is reported at its line', () => {
  const register = (body: string) => `import type { Registry } from 'tc-payload';
export function register(registry: Registry): void {
  registry.parameters({
    schema: { properties: { channel: { type: 'string' } }, required: ['channel'] },
    defaults: (graphConfig, params) => {
${body}
    },
  });
}
`;
  const good = tree('defaults-fn', register("      return { channel: `${String(graphConfig['trust-domain'])}-${String(params.project)}` };"), {
    k: `transforms:
    - self_taskgraph.transforms.channel:transforms
    - taskgraph.transforms.task:transforms
tasks:
    one:
        worker-type: succeed
        description: first
`,
  }, {
    'self_taskgraph/transforms/channel.ts': `export const transforms = [function* (config: { params: Record<string, unknown> }, tasks: Iterable<Record<string, unknown>>) {
  for (const task of tasks) yield { ...task, description: String(config.params.channel) };
}];
`,
  });
  const ok = generate(good);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /"description": "widget-widget"/);

  const bad = tree('defaults-throw', register("      if (params.project === 'widget') throw new Error('no channel for widget');\n      return {};"), { k: SUCCEED_KIND });
  const result = generate(bad);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(bad, 'self_taskgraph', 'index.ts')}:6:\\d+: the parameter defaults of register "self_taskgraph:register" \\(channel\\) failed: Error: no channel for widget`));
  assert.doesNotMatch(result.stderr, /^\s+at /m);
});

test('a required registered parameter without a value or a default is an error', () => {
  const root = tree('required', `export function register(registry) {
  registry.parameters({ schema: { properties: { channel: { type: 'string' } }, required: ['channel'] } });
}
`, { k: SUCCEED_KIND });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${params}:\\d+:1: missing required key "channel"`));
});

test('a register that is still Python, or names no file, is a warning at taskgraph.register: the tree generates without it', () => {
  const python = tree('register-python', '', { k: SUCCEED_KIND }, { 'self_taskgraph/__init__.py': 'def register(graph_config):\n    pass\n' });
  rmSync(join(python, 'self_taskgraph', 'index.ts'));
  const result = generate(python);
  assert.equal(result.status, 0, result.stderr);
  const config = join(python, 'config.yml');
  assert.match(result.stderr, new RegExp(`${config}:6:15: taskgraph\\.register: warning: register "self_taskgraph:register" is Python \\(${join(python, 'self_taskgraph', '__init__.py')}\\), which tc-payload does not run`));
  assert.match(result.stdout, /"k-one"/);

  const root = tree('register-missing', '', { k: SUCCEED_KIND });
  writeFileSync(join(root, 'config.yml'), CONFIG.replace('self_taskgraph:register', 'self_taskgraph.nothing:register'));
  const missing = generate(root);
  assert.equal(missing.status, 0, missing.stderr);
  assert.match(missing.stderr, new RegExp(`${join(root, 'config.yml')}:6:15: taskgraph\\.register: warning: register "self_taskgraph\\.nothing:register" names no TypeScript or JavaScript file \\(looked for ${join(root, 'self_taskgraph', 'nothing.ts')}, `));
});

test('a register attribute that is not a function says what it is', () => {
  const root = tree('register-object', 'export const register = { parameters: [] };\n', { k: SUCCEED_KIND });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /config\.yml:6:15: .*exports "register" as an object \(expected a function register\(registry\)\)/);
});

test('a register that throws is reported at its own line, with no stack', () => {
  const source = `import type { Registry } from 'tc-payload';

export function register(registry: Registry): void {
  const level = Number((registry.graphConfig as { level?: number }).level ?? NaN);
  if (Number.isNaN(level)) throw new RangeError('config.yml has no level');
}
`;
  const root = tree('register-throws', source, { k: SUCCEED_KIND });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(root, 'self_taskgraph', 'index.ts')}:5:\\d+: register "self_taskgraph:register" failed: RangeError: config\\.yml has no level`));
  assert.doesNotMatch(result.stderr, /^\s+at /m);
});

test('an async register is awaited: what it adds after an await counts; a rejection is located; a promise that never settles is an error', () => {
  const kind = SUCCEED_KIND.replace('description: first', 'description: first\n        priority:\n            by-stage:\n                late: high\n                default: low');
  const awaited = tree(
    'register-async',
    `export async function register(registry) {
  const stage = await new Promise((resolve) => setTimeout(() => resolve('late'), 20));
  registry.keyedBy('stage', () => stage);
}
`,
    { k: kind },
  );
  const result = generate(awaited);
  assert.equal(result.status, 0, result.stderr);
  assert.equal((JSON.parse(result.stdout) as Graph)['k-one']!.task.priority, 'high');

  const rejected = tree('register-rejects', 'export async function register(registry) {\n  await null;\n  throw new TypeError("no signing keys configured");\n}\n', { k: SUCCEED_KIND });
  const failed = generate(rejected);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, new RegExp(`${join(rejected, 'self_taskgraph', 'index.ts')}:3:\\d+: register "self_taskgraph:register" failed: TypeError: no signing keys configured`));
  assert.doesNotMatch(failed.stderr, /^\s+at /m);

  const hangs = tree('register-hangs', 'export function register(registry) { return new Promise(() => {}); }\n', { k: SUCCEED_KIND });
  const hung = generate(hangs);
  assert.equal(hung.status, 1);
  assert.match(hung.stderr, /config\.yml:6:15: taskgraph\.register: register "self_taskgraph:register" .*returned a promise that never settles/);
});

test('what the registry refuses is reported at the plugin line that asked for it', () => {
  const source = `import type { Registry } from 'tc-payload';
export function register(registry: Registry): void {
  registry.keyedBy('release-type', () => 'x');
  registry.parameters({ schema: { properties: { project: { type: 'string' } } } });
}
`;
  const root = tree('registry-refuses', source, { k: SUCCEED_KIND });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /self_taskgraph\/index\.ts:4:\d+: register "self_taskgraph:register" failed: Error: registry\.parameters\(\): parameter "project" is already declared by taskgraph/);

  const badSchema = tree('registry-bad-schema', `export function register(registry) {
  registry.runUsing('docker-worker', 'bare', { schema: { type: 'shape' }, build() {} });
}
`, { k: SUCCEED_KIND });
  const second = generate(badSchema);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /self_taskgraph\/index\.ts:2:\d+: .*registry\.runUsing\(…, "bare"\): not a valid JSON Schema: .*type/);

  const builtIn = tree('registry-built-in', `export function register(registry) {
  registry.payloadBuilder('docker-worker', { schema: {}, build() { return {}; } });
}
`, { k: SUCCEED_KIND });
  const third = generate(builtIn);
  assert.equal(third.status, 1);
  assert.match(third.stderr, /index\.ts:2:\d+: .*registry\.payloadBuilder\("docker-worker"\): "docker-worker" is built in/);
});

const KEYED_KIND = `transforms:
    - taskgraph.transforms.task:transforms
tasks:
    one:
        worker-type: succeed
        description:
            by-channel:
                beta: for beta
                default: for others
    two:
        worker-type: succeed
        description: second
`;

test('a keyed-by value that throws names the task and the plugin line; one that is not a plain value is refused', () => {
  const throws = tree('keyed-by-throws', `export function register(registry) {
  registry.keyedBy('channel', (task, params) => {
    throw new TypeError('no channel for ' + params.project);
  });
}
`, { k: KEYED_KIND });
  const result = generate(throws);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(throws, 'self_taskgraph', 'index.ts')}:3:\\d+: keyed-by value "by-channel" \\(registered by register "self_taskgraph:register"\\) for task k-one failed: TypeError: no channel for widget`));
  // The task that does not ask for it is not affected.
  assert.doesNotMatch(result.stderr, /k-two/);

  const object = tree('keyed-by-object', `export function register(registry) {
  registry.keyedBy('channel', () => ({ name: 'beta' }));
}
`, { k: KEYED_KIND });
  const second = generate(object);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /kinds\/k\/kind\.yml:5:9: keyed-by value "by-channel" \(registered by register "self_taskgraph:register"\) for task k-one is an object \(expected a string, a finite number, a boolean/);

  const good = tree('keyed-by-good', `export function register(registry) {
  registry.keyedBy('channel', (task, params) => params.project === 'widget' ? 'beta' : 'release');
}
`, { k: KEYED_KIND });
  const third = generate(good);
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stdout, /"description": "for beta"/);
});

const BARE = `export function register(registry) {
  registry.runUsing(['docker-worker'], 'bare', {
    schema: { type: 'object', additionalProperties: false, required: ['command'], properties: { command: { type: 'string' } } },
    build(config, run, task) {
      if (run.command === 'explode') throw new Error('cannot run ' + task.name);
      if (run.command === 'date') return { ...task, worker: { ...task.worker, command: [new Date(0)] } };
      task.worker.command = ['sh', '-c', run.command];
    },
  });
}
`;

const BARE_KIND = (command: string, workerType = 'b-linux') => `transforms:
    - taskgraph.transforms.run:transforms
    - taskgraph.transforms.task:transforms
tasks:
    one:
        description: first
        worker-type: ${workerType}
        worker:
            docker-image: alpine
            max-run-time: 60
        run:
            using: bare
            command: ${command}
`;

test('a run.using of the tree: its run section is checked against its schema, at the key in kind.yml', () => {
  const ok = generate(tree('bare-ok', BARE, { k: BARE_KIND('make') }));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /"command": \[\s*"sh",\s*"-c",\s*"make"\s*\]/);

  const root = tree('bare-schema', BARE, { k: BARE_KIND('[make, all]') });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(root, 'kinds', 'k', 'kind.yml')}:13:22: run\\.command: run\\.using "bare": wrong type: found a list \\(expected a string\\)`));
});

test('a run.using build that throws, or makes something that is not JSON, is a located error naming the task', () => {
  const throws = tree('bare-throws', BARE, { k: BARE_KIND('explode') });
  const result = generate(throws);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(throws, 'self_taskgraph', 'index.ts')}:5:\\d+: run\\.using "bare" \\(registered by register "self_taskgraph:register"\\) on task k-one failed: Error: cannot run one`));

  const date = tree('bare-date', BARE, { k: BARE_KIND('date') });
  const second = generate(date);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /kinds\/k\/kind\.yml:6:9: run\.using "bare" .* on task k-one made a task description that is not JSON data at worker\.command\[0\] \(a Date\)/);
});

test('a run.using on a worker implementation it was not registered for says which it has', () => {
  const root = tree('bare-generic', BARE, { k: BARE_KIND('make', 'signing') });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kind\.yml:12:20: run\.using: run\.using "bare" .* has no implementation for worker implementation "scriptworker-signing" \(worker-type "signing"\) \(expected a worker alias whose implementation is one of: docker-worker\)/);
});

const SIGNING = `export function register(registry) {
  registry.payloadBuilder('scriptworker-signing', {
    schema: { type: 'object', additionalProperties: false, required: ['cert'], properties: { cert: { type: 'string' }, mode: { type: 'string' } } },
    payloadSchema: { type: 'object', required: ['cert', 'maxRunTime'], properties: { cert: { type: 'string' }, maxRunTime: { type: 'integer' } } },
    build(config, task, taskDef) {
      if (task.worker.mode === 'throw') throw new Error('no key for ' + task.worker.cert);
      if (task.worker.mode === 'nothing') return undefined;
      if (task.worker.mode === 'string-time') return { cert: task.worker.cert, maxRunTime: '600' };
      taskDef.routes.push('index.signed.' + task.worker.cert);
      return { cert: task.worker.cert, maxRunTime: 600 };
    },
  });
}
`;

const SIGNING_KIND = (worker: string) => `transforms:
    - taskgraph.transforms.task:transforms
tasks:
    one:
        description: sign
        worker-type: signing
        worker:
${worker}
`;

test('a payload builder of the tree: its payload, and what it adds to the task definition', () => {
  const result = generate(tree('signing-ok', SIGNING, { k: SIGNING_KIND('            cert: dep') }));
  assert.equal(result.status, 0, result.stderr);
  const task = (JSON.parse(result.stdout) as Graph)['k-one']!.task;
  assert.deepEqual(task.payload, { cert: 'dep', maxRunTime: 600 });
  assert.deepEqual(task.routes, ['index.signed.dep', 'checks']);
});

test('the worker section of a payload builder is checked against its schema, at the key in kind.yml', () => {
  const root = tree('signing-worker', SIGNING, { k: SIGNING_KIND('            cert: dep\n            certificate: dep') });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(root, 'kinds', 'k', 'kind.yml')}:9:13: worker\\.certificate: worker \\(scriptworker-signing\\): unknown key "certificate"`));
});

test('a payload builder that throws, makes no payload, or one its payloadSchema refuses, is a located error', () => {
  const throws = tree('signing-throws', SIGNING, { k: SIGNING_KIND('            cert: dep\n            mode: throw') });
  const result = generate(throws);
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${join(throws, 'self_taskgraph', 'index.ts')}:6:\\d+: payload builder "scriptworker-signing" \\(registered by register "self_taskgraph:register"\\) on task k-one failed: Error: no key for dep`));

  const nothing = generate(tree('signing-nothing', SIGNING, { k: SIGNING_KIND('            cert: dep\n            mode: nothing') }));
  assert.equal(nothing.status, 1);
  assert.match(nothing.stderr, /kinds\/k\/kind\.yml:5:9: payload builder "scriptworker-signing" .* on task k-one made no payload/);

  const refused = generate(tree('signing-refused', SIGNING, { k: SIGNING_KIND('            cert: dep\n            mode: string-time') }));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /kinds\/k\/kind\.yml:5:9: task\.payload\.maxRunTime: payload builder "scriptworker-signing" .* made a payload its payloadSchema refuses: wrong type: found the string "600" \(expected an integer\)/);
});

test('a worker implementation nobody builds lists the registered ones too', () => {
  const root = tree('no-builder', 'export function register(registry) {}\n', { k: SIGNING_KIND('            cert: dep') });
  const result = generate(root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /runs on worker implementation "scriptworker-signing" \(worker alias "signing"\), which has no payload builder here/);
});

test("resolveKeyedBy from 'tc-payload' in a plugin's own transform, and its error at the transform's line", () => {
  const transform = `import { resolveKeyedBy, TransformSequence } from 'tc-payload';
export const transforms = new TransformSequence();
transforms.add(function* (config, tasks) {
  for (const task of tasks) {
    yield resolveKeyedBy(task, 'extra.size', task.name ?? '?', { flavour: config.params.project });
  }
});
`;
  const kind = (alternatives: string) => `transforms:
    - self_taskgraph.transforms.sizes:transforms
    - taskgraph.transforms.task:transforms
tasks:
    one:
        worker-type: succeed
        description: first
        extra:
            size:
                by-flavour:
${alternatives}
`;
  const good = tree('resolve-ok', 'export function register() {}\n', { k: kind("                    widget: large\n                    default: small") }, { 'self_taskgraph/transforms/sizes.ts': transform });
  const ok = generate(good);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /"size": "large"/);

  const bad = tree('resolve-bad', 'export function register() {}\n', { k: kind('                    gadget: large') }, { 'self_taskgraph/transforms/sizes.ts': transform });
  const result = generate(bad);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(`${join(bad, 'self_taskgraph', 'transforms', 'sizes.ts')}:5:\\d+: .*failed on task k-one: Error: flavour "widget" matches none of the keys \\("gadget"\\) and there is no "default", in \`extra\\.size\` in \`one\``),
  );
});

test('--jobs 2 writes the same bytes as --jobs 1 with the release parameter given', () => {
  const one = generate(example, ['-p', 'release_type=beta', '--jobs', '1']);
  const two = generate(example, ['-p', 'release_type=beta', '--jobs', '2']);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.stdout, one.stdout);
  assert.match(one.stdout, /index\.widget\.v2\.widget\.beta\.latest\.release/);
});
