// Every error of the run transform is located at file:line:column in the
// user's YAML (kind.yml or config.yml) and says what was expected.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Diagnostic } from '../../../../src/transform/diagnostics.js';
import { formatDiagnostic } from '../../../../src/transform/diagnostics.js';
import { generate } from '../../../../src/transform/pipeline.js';
import { ALIASES, ONE_REPO, TWO_REPOS, Trees, params, runKind } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

/** The one error of a tree whose kind `k` has `tasks` (lines counted from kind.yml's first line). */
async function errorOf(config: string, tasks: string): Promise<{ d: Diagnostic; root: string }> {
  const root = trees.tree({ 'config.yml': ALIASES + config, 'params.yml': params('3'), 'kinds/k/kind.yml': runKind(tasks) });
  const errors = await trees.errors(root);
  assert.equal(errors.length >= 1, true);
  return { d: errors[0]!, root };
}

// runKind() puts three lines of transforms first, so `tasks:` is line 4 and run's keys start on line 10.
const TASK = (run: string, worker = 'b-linux', extra = '') => `tasks:
  t:
    description: d
    worker-type: ${worker}
    worker: {docker-image: a:1, max-run-time: 60}${extra}
    run:
${run}`;

function assertAt(d: Diagnostic, root: string, file: string, line: number, column: number) {
  assert.deepEqual(d.location, { file: join(root, file), line, column }, formatDiagnostic(d));
}

test('an unsupported run.using names the supported ones', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK('      using: mach\n      command: x'));
  assert.match(d.message, /run\.using "mach" is not supported/);
  assert.equal(d.expected, 'one of: run-task, toolchain-script, index-search');
  assert.deepEqual(d.path, ['run', 'using']);
  assertAt(d, root, 'kinds/k/kind.yml', 10, 14);
});

test('a run without using', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK('      command: x'));
  assert.match(d.message, /has no `using`/);
  assert.equal(d.expected, 'one of: run-task, toolchain-script, index-search');
  assertAt(d, root, 'kinds/k/kind.yml', 10, 7);
});

test('an unknown key of run is ignored, as taskgraph 24.2 ignores it, with a warning and a suggestion; a misspelt required key stays an error', async () => {
  const root = trees.tree({ 'config.yml': ALIASES + ONE_REPO, 'params.yml': params('3'), 'kinds/k/kind.yml': runKind(TASK('      using: run-task\n      command: x\n      use-cache: [pip]\n      sparse-profile: null')) });
  const result = await generate({ root, paramsFile: join(root, 'params.yml'), runtimeBundlePath: trees.bundle });
  const [task] = result.tasks;
  assert.ok(task, 'the task is generated');
  const warnings = result.warnings.filter((w) => w.message.startsWith('unknown key'));
  assert.deepEqual(warnings.map((w) => [w.message, w.hint]), [
    ['unknown key "use-cache" is ignored, as taskgraph ignores it', 'did you mean "use-caches"?'],
    ['unknown key "sparse-profile" is ignored, as taskgraph ignores it', undefined],
  ]);
  assertAt(warnings[0]!, root, 'kinds/k/kind.yml', 12, 7);
  // The default caches, as taskgraph's run-task gives when use-caches is absent.
  assert.equal((task.task.payload as { env: Record<string, string> }).env.TASKCLUSTER_CACHES, '/builds/worker/checkouts');

  const { d } = await errorOf(ONE_REPO, TASK('      using: run-task\n      comand: x'));
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'unknown key "comand"');
  assert.equal(d.hint, 'did you mean "command"?');
});

test('a cache name run-task does not know', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK('      using: run-task\n      command: x\n      use-caches: [checkout, maven]'));
  assert.deepEqual(d.path, ['run', 'use-caches', 1]);
  assert.match(d.expected ?? '', /"cargo", "checkout", "npm", "pip", "uv"/);
  assertAt(d, root, 'kinds/k/kind.yml', 12, 30);
});

test('a missing command', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK('      using: run-task'));
  assert.match(d.message, /missing required key "command"/);
  assert.deepEqual(d.path, ['run']);
  assertAt(d, root, 'kinds/k/kind.yml', 9, 5);
});

test('wrong types: run-as-root, exec-with, workdir', async () => {
  for (const [line, path, pattern] of [
    ['run-as-root: yes please', 'run-as-root', /wrong type/],
    ['exec-with: zsh', 'exec-with', /not an allowed value/],
    ['workdir: relative/dir', 'workdir', /does not have the expected form/],
  ] as const) {
    const { d, root } = await errorOf(ONE_REPO, TASK(`      using: run-task\n      command: x\n      ${line}`));
    assert.deepEqual(d.path, ['run', path]);
    assert.match(d.message, pattern);
    assertAt(d, root, 'kinds/k/kind.yml', 12, line.indexOf(':') + 9);
  }
});

test('{checkout} in cwd without a checkout', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK("      using: run-task\n      checkout: false\n      cwd: '{checkout}/src'\n      command: x"));
  assert.match(d.message, /run\.cwd uses \{checkout\}, but task k-t has no checkout/);
  assertAt(d, root, 'kinds/k/kind.yml', 12, 12);
});

test('checkout: true (the default) with several repositories', async () => {
  const { d, root } = await errorOf(TWO_REPOS, TASK('      using: run-task\n      command: x'));
  assert.match(d.message, /several repositories \(gadget, tools\), so the checkout must say which to clone/);
  assert.deepEqual(d.path, ['run', 'checkout']);
  // No checkout key: the run map is blamed.
  assertAt(d, root, 'kinds/k/kind.yml', 10, 7);
});

test('a checkout map naming an unknown repository', async () => {
  const { d, root } = await errorOf(TWO_REPOS, TASK('      using: run-task\n      command: x\n      checkout: {gadget: {}, tolls: {}}'));
  assert.match(d.message, /"tolls" is not a repository/);
  assert.equal(d.expected, 'one of: gadget, tools');
  assertAt(d, root, 'kinds/k/kind.yml', 12, 37);
});

test('a checkout override that is no repository field', async () => {
  const { d, root } = await errorOf(TWO_REPOS, TASK('      using: run-task\n      command: x\n      checkout: {gadget: {ref: x}}'));
  assert.match(d.message, /unknown key "ref"/);
  assertAt(d, root, 'kinds/k/kind.yml', 12, 27);
  assert.deepEqual(d.path, ['run', 'checkout', 'gadget', 'ref']);
});

test('a checkout without taskgraph.repositories in config.yml blames config.yml once and each task', async () => {
  const twoTasks = TASK('      using: run-task\n      command: x') + '\n  u:\n    description: d\n    worker-type: b-linux\n    worker: {docker-image: a:1, max-run-time: 60}\n    run: {using: run-task, command: y}\n';
  const root = trees.tree({ 'config.yml': ALIASES, 'params.yml': params('3'), 'kinds/k/kind.yml': runKind(twoTasks) });
  const errors = await trees.errors(root);
  assert.equal(errors.length, 3, errors.map(formatDiagnostic).join('\n'));
  assert.equal(errors.filter((d) => d.location?.file === join(root, 'config.yml')).length, 1);
  assert.match(errors[0]!.message, /config\.yml has no taskgraph\.repositories/);
  assert.equal(errors[0]!.location?.file, join(root, 'config.yml'));
  assert.match(errors[1]!.message, /this task checks out \(run\.checkout is true, its default\), but config\.yml's repositories are not usable/);
  assertAt(errors[1]!, root, 'kinds/k/kind.yml', 10, 7);
});

test('several repositories and no project-regex matching the project', async () => {
  const config = TWO_REPOS.replace("'^gadget$'", () => "'^other$'");
  const { d, root } = await errorOf(config, TASK('      using: run-task\n      command: x\n      checkout: {gadget: {}}'));
  assert.match(d.message, /no repository of taskgraph\.repositories has a project-regex matching the project "gadget"/);
  assertAt(d, root, 'config.yml', 11, 5);
});

test('a project-regex JavaScript cannot compile (a Python named group) is a config.yml error, not a crash', async () => {
  const config = TWO_REPOS.replace("'^gadget$'", () => "'^(?P<name>gadget)$'");
  const { d, root } = await errorOf(config, TASK('      using: run-task\n      command: x\n      checkout: {gadget: {}}'));
  assert.match(d.message, /^the project-regex of repository "gadget" is not a valid regular expression: /);
  assert.deepEqual(d.path, ['taskgraph', 'repositories', 'gadget', 'project-regex']);
  assertAt(d, root, 'config.yml', 13, 22);
});

test('another repository without its default-ref: an error only for tasks that check it out, reported once', async () => {
  const config = TWO_REPOS.replace('      default-ref: main\n', '');
  const kind = runKind(`tasks:
  a:
    description: d
    worker-type: b-linux
    worker: {docker-image: a:1, max-run-time: 60}
    run: {using: run-task, command: x, checkout: {gadget: {}, tools: {}}}
  b:
    description: d
    worker-type: b-linux
    worker: {docker-image: a:1, max-run-time: 60}
    run: {using: run-task, command: x, checkout: {tools: {}}}
  c:
    description: d
    worker-type: b-linux
    worker: {docker-image: a:1, max-run-time: 60}
    run: {using: run-task, command: x, checkout: {gadget: {}}}
`);
  const root = trees.tree({ 'config.yml': ALIASES + config, 'params.yml': params('3'), 'kinds/k/kind.yml': kind });
  const errors = await trees.errors(root);
  const inConfig = errors.filter((d) => d.location?.file === join(root, 'config.yml'));
  assert.equal(inConfig.length, 1, errors.map(formatDiagnostic).join('\n'));
  assert.match(inConfig[0]!.message, /repository "tools" has no default-ref/);
  assert.deepEqual(inConfig[0]!.path, ['taskgraph', 'repositories', 'tools']);
  assertAt(inConfig[0]!, root, 'config.yml', 15, 7);
  const inKind = errors.filter((d) => d.location?.file === join(root, 'kinds/k/kind.yml'));
  assert.deepEqual(inKind.map((d) => d.location?.line), [9, 14]);
  assert.match(inKind[0]!.message, /this task checks out "tools", which config\.yml does not say how to clone/);
  // Task c checks out gadget alone and is fine: only a and b fail.
  assert.equal(errors.length, 3);
});

test('config.yml taskgraph.run.use-caches with an unknown cache', async () => {
  const config = `${ONE_REPO}  run:\n    use-caches: [checkout, gradle]\n`;
  const { d, root } = await errorOf(config, TASK('      using: run-task\n      command: x'));
  assert.match(d.message, /"gradle" is not a cache run-task knows/);
  assert.deepEqual(d.path, ['taskgraph', 'run', 'use-caches', 1]);
  assertAt(d, root, 'config.yml', 14, 28);
});

test('an unknown worker alias', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK('      using: run-task\n      command: x', 'nope'));
  assert.match(d.message, /unknown worker alias "nope"/);
  assertAt(d, root, 'kinds/k/kind.yml', 7, 18);
});

test('generic-worker on an os run-task has no layout for is refused, naming what is supported', async () => {
  // (generic-worker on Windows is supported: see defaults.test.ts.)
  const config = ALIASES.replace('os: windows', 'os: freebsd') + ONE_REPO;
  const kind = runKind(TASK('      using: run-task\n      command: x', 't-win').replace('docker-image: a:1, ', ''));
  const root = trees.tree({ 'config.yml': config, 'params.yml': params('3'), 'kinds/k/kind.yml': kind });
  const errors = await trees.errors(root);
  assert.equal(errors.length, 1, errors.map(formatDiagnostic).join('\n'));
  const d = errors[0]!;
  assert.match(d.message, /run: using: run-task is not supported on generic-worker with os "freebsd" \(worker-type "t-win"\)/);
  assertAt(d, root, 'kinds/k/kind.yml', 7, 18);
  assert.equal(d.expected, 'docker-worker, or generic-worker on linux, macosx or windows');
});

test('a list of commands on generic-worker for Windows is refused: each command is one batch-file line', async () => {
  const kind = runKind(`tasks:
  t:
    description: d
    worker-type: t-win
    worker:
      max-run-time: 60
      command: [[make, all]]
`);
  const root = trees.tree({ 'config.yml': ALIASES + ONE_REPO, 'params.yml': params('3'), 'kinds/k/kind.yml': kind });
  const errors = await trees.errors(root);
  assert.equal(errors.length, 1, errors.map(formatDiagnostic).join('\n'));
  assert.equal(errors[0]!.message, 'on Windows each command is one string, not a list');
  assert.deepEqual(errors[0]!.path, ['worker', 'command']);
  assertAt(errors[0]!, root, 'kinds/k/kind.yml', 10, 16);
});

test('an override in a checkout entry that is not one of taskgraph\'s field names, with the nearest one', async () => {
  const { d, root } = await errorOf(TWO_REPOS, TASK('      using: run-task\n      command: x\n      checkout: {gadget: {}, tools: {head_revision: cccc}}'));
  assert.equal(d.message, 'unknown key "head_revision"');
  assert.deepEqual(d.path, ['run', 'checkout', 'tools', 'head_revision']);
  assert.equal(d.hint, 'did you mean "head_rev"?');
  assertAt(d, root, 'kinds/k/kind.yml', 12, 38);
});

test('a keyed-by value inside run that matches nothing', async () => {
  const { d, root } = await errorOf(ONE_REPO, TASK("      using: run-task\n      command:\n        by-level:\n          '1': x"));
  assert.deepEqual(d.path, ['run', 'command']);
  assert.match(d.message, /cannot resolve "by-level"/);
  assertAt(d, root, 'kinds/k/kind.yml', 12, 9);
});
