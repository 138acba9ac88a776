// Each field's default and each way of setting it, seen in the generated task.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { payloadCacheMap } from '../../../../src/transform/payload/docker-worker.js';
import { generate } from '../../../../src/transform/pipeline.js';
import { ALIASES, ONE_REPO, TWO_REPOS, Trees, params, runKind } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

type Payload = { command: unknown[]; env: Record<string, string>; cache?: { 'task-reference': Record<string, string> }; mounts?: Record<string, unknown>[] };

async function generateOne(config: string, run: string, opts: { worker?: string; transforms?: string[]; workerEnv?: string } = {}): Promise<GeneratedTask> {
  const alias = opts.worker ?? 'b-linux';
  const env = opts.workerEnv ? `, env: ${opts.workerEnv}` : '';
  const worker = alias === 'b-linux' ? `{docker-image: a:1, max-run-time: 60${env}}` : `{max-run-time: 60${env}}`;
  const kind = runKind(
    `tasks:\n  t:\n    description: d\n    worker-type: ${alias}\n    worker: ${worker}\n    run:\n${run}`,
    opts.transforms,
  );
  const root = trees.tree({ 'config.yml': ALIASES + config, 'params.yml': params('3'), 'kinds/k/kind.yml': kind });
  const tasks = await trees.generate(root);
  assert.equal(tasks.length, 1);
  return tasks[0]!;
}
const payloadOf = (t: GeneratedTask) => t.task.payload as Payload;
/** docker-worker's cache map (name → mount point), out of its task-reference wrapper. */
const cachesOf = (t: GeneratedTask) => payloadCacheMap(payloadOf(t)) as Record<string, string>;
const cacheMounts = (t: GeneratedTask) => Object.values(cachesOf(t)).sort();

test('defaults on docker-worker: one-repository checkout, /builds/worker, bash -cx, /usr/local/bin/run-task, [checkout] caches, not root', async () => {
  const t = await generateOne(ONE_REPO, '      using: run-task\n      command: make');
  const p = payloadOf(t);
  assert.deepEqual(p.command, ['/usr/local/bin/run-task', '--gadget-checkout=/builds/worker/checkouts/vcs/', '--', 'bash', '-cx', 'make']);
  assert.equal(p.env.VCS_PATH, '/builds/worker/checkouts/vcs');
  assert.deepEqual(Object.keys(p.cache ?? {}), ['task-reference']);
  assert.deepEqual(Object.values(cachesOf(t)), ['/builds/worker/checkouts']);
  assert.match(Object.keys(cachesOf(t))[0]!, /^gadget-level-3-checkouts-v3-/);
});

test('defaults on generic-worker: ./run-task after chmod, relative checkouts, run-task file mount', async () => {
  const p = payloadOf(await generateOne(ONE_REPO, '      using: run-task\n      command: make', { worker: 't-macos' }));
  assert.deepEqual(p.command, [['chmod', '+x', 'run-task'], ['./run-task', '--gadget-checkout=checkouts/vcs/', '--', 'bash', '-cx', 'make']]);
  assert.deepEqual(p.mounts, [
    { cacheName: 'gadget-level-3-checkouts', directory: 'checkouts' },
    { content: { artifact: 'public/run-task', taskId: { 'task-reference': '<decision>' } }, file: './run-task' },
  ]);
  assert.equal(p.env.HG_STORE_PATH, 'checkouts/hg-shared');
});

test('generic-worker on Windows: written as taskgraph writes it (build/src, y:/hg-shared, one batch line, the command quoted), with a warning', async () => {
  const kind = runKind(`tasks:
  t:
    description: d
    worker-type: t-win
    worker: {max-run-time: 60}
    run:
      using: run-task
      use-caches: [checkout, pip]
      cwd: '{checkout}'
      command: make "all"
  list:
    description: d
    worker-type: t-win
    worker: {max-run-time: 60}
    run: {using: run-task, checkout: false, run-as-root: true, command: [make, all]}
  ref:
    description: d
    worker-type: t-win
    worker: {max-run-time: 60}
    run: {using: run-task, checkout: false, command: {task-reference: 'echo <decision> > out'}}
  own:
    description: d
    worker-type: t-win
    worker: {max-run-time: 60}
    run: {using: run-task, checkout: false, run-task-command: [py, C:/rt/run-task], command: [x]}
`);
  const root = trees.tree({ 'config.yml': ALIASES + ONE_REPO, 'params.yml': params('3'), 'kinds/k/kind.yml': kind });
  const result = await generate({ root, paramsFile: `${root}/params.yml`, runtimeBundlePath: trees.bundle });
  const [t, list, ref, own] = result.tasks;
  const p = payloadOf(t!);
  assert.equal(t!.workerOs, 'windows');
  assert.deepEqual(p.command, ['C:/mozilla-build/python3/python3.exe run-task --gadget-checkout=build/src/ --task-cwd build/src -- bash -cx "make "all""']);
  assert.equal(p.env.VCS_PATH, 'build/src');
  assert.equal(p.env.HG_STORE_PATH, 'y:/hg-shared');
  assert.equal(p.env.PIP_CACHE_DIR, '.task-cache/pip');
  assert.deepEqual(p.mounts, [
    { cacheName: 'gadget-level-3-checkouts', directory: 'build' },
    { cacheName: 'gadget-level-3-pip', directory: '.task-cache/pip' },
    { content: { artifact: 'public/run-task', taskId: { 'task-reference': '<decision>' } }, file: './run-task' },
  ]);
  // No chmod line and no proxy on Windows; generic-worker's interrupted-process exit codes are retried.
  assert.equal((t!.task.payload as { features?: unknown }).features, undefined);
  assert.deepEqual((t!.task.payload as { onExitStatus?: unknown }).onExitStatus, { retry: [1073807364, 3221225786] });
  // A list command is joined into the line as it is.
  assert.deepEqual(payloadOf(list!).command, ['C:/mozilla-build/python3/python3.exe run-task --user root --group root -- make all']);
  // A task reference makes the whole line one, its literal < escaped; the command is quoted like a string one.
  assert.deepEqual(payloadOf(ref!).command, [{ 'task-reference': 'C:/mozilla-build/python3/python3.exe run-task -- bash -cx "echo <decision> > out"' }]);
  // run-task-command replaces taskgraph's Python, and then there is nothing to warn about.
  assert.deepEqual(payloadOf(own!).command, ['py C:/rt/run-task -- x']);
  // The output is checked against the Windows payload schema: no error above means it passed.
  assert.deepEqual(
    // Each at the task's worker-type.
    result.warnings.map((w) => [w.location?.line, w.message]),
    ['t', 'list', 'ref'].map((name, i) => [
      [7, 16, 21][i],
      `task k-${name} runs on Windows, where the command is taskgraph's (python3.exe run-task); tc-payload's run-task does not run on Windows`,
    ]),
  );
  assert.match(result.warnings[0]!.hint!, /public\/run-task artifact, or set run\.run-task-command/);
});

test('use-caches: config.yml taskgraph.run.use-caches is the default; the task overrides it; false mounts none', async () => {
  const config = `${ONE_REPO}  run:\n    use-caches: [uv, checkout]\n`;
  assert.deepEqual(cacheMounts(await generateOne(config, '      using: run-task\n      command: x')), ['/builds/worker/.task-cache/uv', '/builds/worker/checkouts']);
  assert.deepEqual(cacheMounts(await generateOne(config, '      using: run-task\n      use-caches: [npm]\n      command: x')), ['/builds/worker/.task-cache/npm']);
  const none = await generateOne(config, '      using: run-task\n      use-caches: false\n      command: x');
  assert.equal(payloadOf(none).cache, undefined);
  assert.equal(payloadOf(none).env.UV_CACHE_DIR, undefined);
  const all = await generateOne(ONE_REPO.concat('  run:\n    use-caches: true\n'), '      using: run-task\n      command: x');
  assert.equal(cacheMounts(all).length, 5);
  assert.equal(payloadOf(all).env.CARGO_HOME, '/builds/worker/.task-cache/cargo');
  assert.equal(payloadOf(all).env.npm_config_cache, '/builds/worker/.task-cache/npm');
  assert.equal(payloadOf(all).env.PIP_CACHE_DIR, '/builds/worker/.task-cache/pip');
  assert.equal(payloadOf(all).env.UV_CACHE_DIR, '/builds/worker/.task-cache/uv');
});

test('never a checkout cache without a checkout, even with use-caches: true', async () => {
  const t = await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      use-caches: true\n      command: x');
  assert.deepEqual(cacheMounts(t), ['cargo', 'npm', 'pip', 'uv'].map((n) => `/builds/worker/.task-cache/${n}`));
  assert.equal(payloadOf(t).env.VCS_PATH, undefined);
  assert.equal((t.task.payload as { features?: unknown }).features, undefined);
  // An empty checkout map means no checkout too, as in taskgraph.
  const empty = await generateOne(TWO_REPOS, '      using: run-task\n      checkout: {}\n      command: x');
  assert.deepEqual(cacheMounts(empty), []);
  assert.equal(payloadOf(empty).env.REPOSITORIES, undefined);
});

test('workdir moves the checkout and tool caches on docker-worker', async () => {
  const t = await generateOne(ONE_REPO, '      using: run-task\n      workdir: /w\n      use-caches: [checkout, pip]\n      command: x');
  const p = payloadOf(t);
  assert.deepEqual(cacheMounts(t), ['/w/.task-cache/pip', '/w/checkouts']);
  assert.equal(p.env.HG_STORE_PATH, '/w/checkouts/hg-store');
  assert.equal(p.env.PIP_CACHE_DIR, '/w/.task-cache/pip');
});

test('cwd: {checkout} replaced and normalized; a cwd without {checkout} is kept as written', async () => {
  const a = payloadOf(await generateOne(ONE_REPO, "      using: run-task\n      cwd: '{checkout}/./a/../b/'\n      command: x"));
  assert.deepEqual(a.command.slice(2, 4), ['--task-cwd', '/builds/worker/checkouts/vcs/b']);
  const b = payloadOf(await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      cwd: /tmp/x/\n      command: x'));
  assert.deepEqual(b.command.slice(1, 3), ['--task-cwd', '/tmp/x/']);
});

test('command: a list as is; a task reference goes to the shell; exec-with powershell', async () => {
  const list = payloadOf(await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      command: [make, "a b"]'));
  assert.deepEqual(list.command, ['/usr/local/bin/run-task', '--', 'make', 'a b']);
  const ref = await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      command: {task-reference: "echo <self>"}');
  // References are resolved when the graph is submitted; here the placeholder is still the last argument.
  assert.deepEqual(payloadOf(ref).command.slice(0, 4), ['/usr/local/bin/run-task', '--', 'bash', '-cx']);
  assert.equal(payloadOf(ref).command.length, 5);
  const ps = payloadOf(await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      exec-with: powershell\n      command: dir', { worker: 't-macos' }));
  assert.deepEqual(ps.command[1], ['./run-task', '--', 'powershell.exe', '-ExecutionPolicy', 'Bypass', 'dir']);
});

test('run-task-command and run-as-root', async () => {
  const p = payloadOf(await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      run-task-command: [python3, /r/run-task]\n      run-as-root: true\n      command: [id]'));
  assert.deepEqual(p.command, ['python3', '/r/run-task', '--user', 'root', '--group', 'root', '--', 'id']);
  const q = payloadOf(await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      run-as-root: false\n      command: [id]'));
  assert.deepEqual(q.command, ['/usr/local/bin/run-task', '--', 'id']);
});

test('the run env wins over the task env of the same name; MOZ_SCM_LEVEL is the level', async () => {
  const t = await generateOne(ONE_REPO, '      using: run-task\n      command: x', { workerEnv: '{VCS_PATH: mine, KEEP: kept}' });
  assert.equal(payloadOf(t).env.VCS_PATH, '/builds/worker/checkouts/vcs');
  assert.equal(payloadOf(t).env.KEEP, 'kept');
  assert.equal(payloadOf(t).env.MOZ_SCM_LEVEL, '3');
});

test('another repository alone: cloned from its config.yml defaults, still a set-specific cache name', async () => {
  const t = await generateOne(TWO_REPOS, '      using: run-task\n      checkout: {tools: {}}\n      command: x');
  const env = payloadOf(t).env;
  assert.equal(env.TOOLS_HEAD_REPOSITORY, 'https://example.com/tools');
  assert.equal(env.TOOLS_BASE_REPOSITORY, 'https://example.com/tools');
  assert.equal(env.TOOLS_HEAD_REF, 'main');
  assert.equal(env.TOOLS_HEAD_REV, undefined);
  // Compact JSON, as taskgraph writes it.
  assert.equal(env.REPOSITORIES, '{"tools":"Gadget tools"}');
  assert.equal(env.GADGET_HEAD_REV, undefined);
  assert.deepEqual(payloadOf(t).command.slice(0, 2), ['/usr/local/bin/run-task', '--tools-checkout=/builds/worker/checkouts/vcs/']);
  // With several repositories configured, the cache is named after all of them, whichever are checked out.
  const both = await generateOne(TWO_REPOS, '      using: run-task\n      checkout: {gadget: {}, tools: {path: tools}}\n      command: x');
  const [name] = Object.keys(cachesOf(t));
  assert.match(name!, /^gadget-level-3-checkouts-repos-[0-9a-f]{64}-v3-/);
  assert.deepEqual(Object.keys(cachesOf(both)).filter((n) => n.includes('-checkouts-')), [name]);
  assert.deepEqual(t.task.scopes instanceof Array && (t.task.scopes as unknown[]).filter((s) => typeof s === 'string' && s.startsWith('secrets:')), ['secrets:get:project/tools/key']);
});

test("an explicit checkout entry overrides the repository's settings by taskgraph's field names", async () => {
  const t = await generateOne(
    TWO_REPOS,
    "      using: run-task\n      checkout:\n        gadget: {}\n        tools: {head_repository: 'https://example.com/tools-fork', head_ref: v2, head_rev: cccc, name: Tools fork, ssh_secret_name: project/tools/other, path: t}\n      command: x",
  );
  const env = payloadOf(t).env;
  assert.equal(env.TOOLS_HEAD_REPOSITORY, 'https://example.com/tools-fork');
  assert.equal(env.TOOLS_BASE_REPOSITORY, 'https://example.com/tools');
  assert.equal(env.TOOLS_HEAD_REF, 'v2');
  assert.equal(env.TOOLS_HEAD_REV, 'cccc');
  assert.equal(env.TOOLS_SSH_SECRET_NAME, 'project/tools/other');
  assert.equal(env.REPOSITORIES, '{"gadget":"Gadget","tools":"Tools fork"}');
  assert.ok(payloadOf(t).command.includes('--tools-checkout=/builds/worker/checkouts/vcs/t'));
  assert.deepEqual((t.task.scopes as unknown[]).filter((s) => typeof s === 'string' && s.startsWith('secrets:')), ['secrets:get:project/tools/other']);
});

test('use-caches: null takes the project default; a name listed twice mounts once', async () => {
  const config = `${ONE_REPO}  run:\n    use-caches: [pip, checkout]\n`;
  assert.deepEqual(cacheMounts(await generateOne(config, '      using: run-task\n      use-caches: null\n      command: x')), [
    '/builds/worker/.task-cache/pip',
    '/builds/worker/checkouts',
  ]);
  const twice = await generateOne(ONE_REPO, '      using: run-task\n      use-caches: [pip, checkout, pip]\n      command: x');
  assert.deepEqual(cacheMounts(twice), ['/builds/worker/.task-cache/pip', '/builds/worker/checkouts']);
  assert.equal(payloadOf(twice).env.TASKCLUSTER_CACHES, '/builds/worker/.task-cache/pip;/builds/worker/checkouts');
});

test('keyed-by values inside run are resolved by level', async () => {
  const t = await generateOne(ONE_REPO, "      using: run-task\n      checkout: false\n      command:\n        by-level:\n          '3': [release]\n          default: [dry-run]");
  assert.deepEqual(payloadOf(t).command, ['/usr/local/bin/run-task', '--', 'release']);
});

test('the transform is found by its module name alone and with :transforms; tasks without run pass through', async () => {
  const t = await generateOne(ONE_REPO, '      using: run-task\n      checkout: false\n      command: [x]', {
    transforms: ['taskgraph.transforms.run', 'taskgraph.transforms.task'],
  });
  assert.deepEqual(payloadOf(t).command, ['/usr/local/bin/run-task', '--', 'x']);
  const root = trees.tree({
    'config.yml': ALIASES + ONE_REPO,
    'params.yml': params('3'),
    'kinds/k/kind.yml': runKind('tasks:\n  plain:\n    description: d\n    worker-type: b-linux\n    worker: {docker-image: a:1, max-run-time: 60, command: [echo, hi]}\n'),
  });
  assert.deepEqual(((await trees.generate(root))[0]!.task.payload as Payload).command, ['echo', 'hi']);
});

test('the default loader (no transforms listed) implies the run transform', async () => {
  const root = trees.tree({
    'config.yml': ALIASES + ONE_REPO,
    'params.yml': params('3'),
    'kinds/k/kind.yml': 'tasks:\n  t:\n    description: d\n    worker-type: b-linux\n    worker: {docker-image: a:1, max-run-time: 60}\n    run: {using: run-task, checkout: false, command: [x]}\n',
  });
  assert.deepEqual(((await trees.generate(root))[0]!.task.payload as Payload).command, ['/usr/local/bin/run-task', '--', 'x']);
});
