// run: using: toolchain-script on each worker, its cache digest over the files
// git tracks, and run: using: index-search.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { formatDiagnostic } from '../../../../src/transform/diagnostics.js';
import { patternRegExp } from '../../../../src/transform/transforms/run/tracked-files.js';
import { CONFIG, TOOLCHAIN_KIND_HEAD, RUN_KIND_HEAD, Trees, commitAll, committedTree, params } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

const SCRIPTS = {
  'scripts/toolchain/build.sh': '#!/bin/sh\nmake\n',
  'scripts/toolchain/build.ps1': 'make\n',
  'scripts/toolchain/common.sh': 'set -e\n',
};

function toolchainTree(tasks: string, extra: Record<string, string> = {}): string {
  return committedTree(trees, { 'config.yml': CONFIG, 'params.yml': params('3'), ...SCRIPTS, ...extra, 'kinds/toolchain/kind.yml': `${TOOLCHAIN_KIND_HEAD}tasks:\n${tasks}` });
}
const only = (tasks: GeneratedTask[]) => {
  assert.equal(tasks.length, 1);
  return tasks[0]!;
};
type Payload = { command: unknown; env: Record<string, string>; artifacts: unknown; features?: Record<string, boolean> };
const payloadOf = (t: GeneratedTask) => t.task.payload as Payload;
const digestOf = (t: GeneratedTask) => (t.attributes.cached_task as { digest: string }).digest;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const DOCKER = `  clang:
    description: d
    worker-type: b-linux
    worker: {docker-image: debian:12, max-run-time: 60}
    run:
      using: toolchain-script
      script: build.sh
      arguments: [--target, x86_64]
      resources: [taskcluster/scripts/toolchain/common.sh]
      toolchain-artifact: public/build/clang.tar.zst
      toolchain-alias: clang
      toolchain-env: {CLANG_HOME: '{MOZ_FETCHES_DIR}/clang'}
`;

test('docker-worker: the script from the checkout with its arguments, from the directory above the checkout; artifacts, attributes, digest', async () => {
  const t = only(await trees.generate(toolchainTree(DOCKER)));
  const p = payloadOf(t);
  assert.deepEqual(p.command, [
    '/usr/local/bin/run-task', '--gadget-checkout=/builds/worker/checkouts/vcs/', '--task-cwd', '/builds/worker/checkouts', '--',
    'vcs/taskcluster/scripts/toolchain/build.sh', '--target', 'x86_64',
  ]);
  assert.equal(p.env.UPLOAD_DIR, '/builds/worker/artifacts/');
  // build_date 1764201600 is 2025-11-27T00:00:00Z; moz_build_date defaults to it.
  assert.equal(p.env.MOZ_BUILD_DATE, '20251127000000');
  assert.equal(p.env.MOZ_SCM_LEVEL, '3');
  assert.deepEqual(Object.keys(p.artifacts as object), ['public/build']);
  assert.equal(p.features?.chainOfTrust, true);
  assert.equal(t.attributes['toolchain-artifact'], 'public/build/clang.tar.zst');
  assert.equal(t.attributes['toolchain-alias'], 'clang');
  assert.deepEqual(t.attributes['toolchain-env'], { CLANG_HOME: '{MOZ_FETCHES_DIR}/clang' });
  // The digest: the tracked files (sorted "<sha256> <path>" lines), the artifact, then the arguments; chain of trust last.
  const files = ['taskcluster/scripts/toolchain/build.sh', 'taskcluster/scripts/toolchain/common.sh'];
  const contents: Record<string, string> = { 'taskcluster/scripts/toolchain/build.sh': SCRIPTS['scripts/toolchain/build.sh'], 'taskcluster/scripts/toolchain/common.sh': SCRIPTS['scripts/toolchain/common.sh'] };
  const filesDigest = sha256(files.map((f) => `${sha256(contents[f]!)} ${f}\n`).join(''));
  assert.deepEqual(t.attributes.cached_task, {
    type: 'toolchains.v3',
    name: 'clang',
    digest: sha256([filesDigest, 'public/build/clang.tar.zst', '--target', 'x86_64', 'True'].join('\n')),
  });
  assert.ok((t.task.routes as string[]).includes(`index.gadget.cache.level-3.toolchains.v3.clang.hash.${digestOf(t)}`));
});

test('the digest follows the committed content of the script and resources, not untracked files', async () => {
  const root = toolchainTree(DOCKER);
  const before = digestOf(only(await trees.generate(root)));
  writeFileSync(join(root, 'scripts/toolchain/untracked.sh'), 'anything\n');
  assert.equal(digestOf(only(await trees.generate(root))), before);
  const changed = toolchainTree(DOCKER, { 'scripts/toolchain/common.sh': 'set -eu\n' });
  assert.notEqual(digestOf(only(await trees.generate(changed))), before);
});

test('generic-worker on Linux: the arguments shell-quoted into one command; Windows: a .ps1 script through powershell from build/', async () => {
  const t = only(
    await trees.generate(
      toolchainTree(`  tool:
    description: d
    worker-type: t-linux
    worker: {max-run-time: 60}
    run: {using: toolchain-script, script: build.sh, arguments: [--name, two words, "it's"], toolchain-artifact: public/build/tool.tar.zst}
`),
    ),
  );
  const command = payloadOf(t).command as string[][];
  assert.deepEqual(command[1]!.slice(-3), ['bash', '-cx', "vcs/taskcluster/scripts/toolchain/build.sh --name 'two words' 'it'\\''s'"]);
  assert.deepEqual(command[1]!.slice(1, 4), ['--gadget-checkout=checkouts/vcs/', '--task-cwd', 'checkouts']);
  assert.deepEqual(payloadOf(t).artifacts, [{ type: 'directory', name: 'public/build', path: 'public/build' }]);
  const win = only(
    await trees.generate(
      toolchainTree(`  win:
    description: d
    worker-type: t-win
    worker: {max-run-time: 60}
    run: {using: toolchain-script, script: build.ps1, toolchain-artifact: public/build/tool.zip}
`),
    ),
  );
  assert.deepEqual(payloadOf(win).command, [
    'C:/mozilla-build/python3/python3.exe run-task --gadget-checkout=build/src/ --task-cwd build -- powershell.exe -ExecutionPolicy Bypass "src/taskcluster/scripts/toolchain/build.ps1"',
  ]);
});

test('a toolchain fetching a toolchain of its own kind by alias', async () => {
  const tasks = await trees.generate(
    toolchainTree(`${DOCKER}  user:
    description: d
    worker-type: b-linux
    worker: {docker-image: debian:12, max-run-time: 60}
    run: {using: toolchain-script, script: build.sh, toolchain-artifact: public/build/user.tar.zst}
    fetches: {toolchain: [clang]}
`),
  );
  const user = tasks.find((t) => t.label === 'toolchain-user')!;
  assert.deepEqual(user.dependencies, { 'toolchain-clang': 'toolchain-clang' });
  assert.equal(payloadOf(user).env.CLANG_HOME, undefined, 'toolchain-env comes only from toolchains of earlier kinds, as in taskgraph');
  assert.match(JSON.stringify(payloadOf(user).env.MOZ_FETCHES), /public\/build\/clang\.tar\.zst/);
});

test('a resource or script git does not track, and a tree outside git, are located errors', async () => {
  const root = toolchainTree(`  t:
    description: d
    worker-type: b-linux
    worker: {docker-image: debian:12, max-run-time: 60}
    run:
      using: toolchain-script
      script: missing.sh
      resources: [taskcluster/scripts/toolchain/common.sh, 'taskcluster/nothing/**']
      toolchain-artifact: public/build/t.tar.zst
`);
  const errors = await trees.errors(root);
  const file = join(root, 'kinds/toolchain/kind.yml');
  assert.equal(errors.length, 2, errors.map(formatDiagnostic).join('\n'));
  assert.match(errors[0]!.message, /taskcluster\/nothing\/\*\* matches no file of the commit checked out/);
  assert.deepEqual(errors[0]!.location, { file, line: 13, column: 60 });
  assert.match(errors[1]!.message, /taskcluster\/scripts\/toolchain\/missing\.sh matches no file of the commit checked out/);
  assert.deepEqual(errors[1]!.location, { file, line: 12, column: 15 });

  const outside = mkdtempSync(join(tmpdir(), 'no-git-'));
  try {
    const tree = join(outside, 'taskcluster');
    for (const [rel, text] of Object.entries({ 'config.yml': CONFIG, 'params.yml': params('3'), ...SCRIPTS, 'kinds/toolchain/kind.yml': `${TOOLCHAIN_KIND_HEAD}tasks:\n${DOCKER}` })) {
      const path = join(tree, rel);
      rmSync(path, { force: true });
      mkdirp(dirname(path));
      writeFileSync(path, text);
    }
    const e = await trees.errors(tree);
    assert.match(e[0]!.message, /toolchain-script hashes the files git tracks, but .* is not inside a git repository/);
    assert.deepEqual(e[0]!.path, ['run', 'script']);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('toolchain-script keys are checked: a missing toolchain-artifact, an unknown key', async () => {
  const root = toolchainTree(`  t:
    description: d
    worker-type: b-linux
    worker: {docker-image: debian:12, max-run-time: 60}
    run: {using: toolchain-script, script: build.sh, argument: [x]}
`);
  const text = (await trees.errors(root)).map(formatDiagnostic).join('\n');
  assert.match(text, /toolchain-artifact/);
  assert.match(text, /unknown key "argument"/);
});

test('taskgraph path patterns: * within a component, ** across directories, a directory matches what is below it', () => {
  const m = (pattern: string, path: string) => patternRegExp(pattern).test(path);
  assert.ok(m('taskcluster/scripts', 'taskcluster/scripts/a.sh'));
  assert.ok(m('a/*.sh', 'a/b.sh'));
  assert.ok(!m('a/*/b', 'a/b'));
  assert.ok(m('a/**/b', 'a/b'));
  assert.ok(m('a/**/b', 'a/x/y/b'));
  assert.ok(m('**/b.sh', 'x/b.sh'));
  assert.ok(m('a/**', 'a/x/y'));
  assert.ok(!m('a.sh', 'aXsh'));
});

function indexSearchTree(task: string): string {
  const root = trees.tree({ 'config.yml': CONFIG, 'params.yml': params('3'), 'kinds/toolchain/kind.yml': `${RUN_KIND_HEAD}tasks:\n${task}` });
  commitAll(root);
  return root;
}

test('index-search: parameters filled into the namespaces, on always-optimized, with no payload', async () => {
  const t = only(
    await trees.generate(
      indexSearchTree(`  sdk:
    description: d
    worker-type: always-optimized
    attributes: {toolchain-artifact: public/build/sdk.tar.zst}
    run: {using: index-search, index-search: ['gadget.v2.{project}.revision.{head_rev}.sdk', 'gadget.{{literal}}']}
`),
    ),
  );
  assert.deepEqual(t.optimization, { 'index-search': ['gadget.v2.gadget.revision.bbbb.sdk', 'gadget.{literal}'] });
  assert.deepEqual(t.task.payload, {});
  assert.equal(t.task.provisionerId, 'invalid');
});

test('index-search: an unknown parameter and another worker type are located errors', async () => {
  const root = indexSearchTree(`  sdk:
    description: d
    worker-type: b-linux
    run: {using: index-search, index-search: ['a.{no_such_parameter}']}
`);
  const errors = await trees.errors(root);
  assert.match(errors[0]!.message, /only runs on the worker type always-optimized/);
  assert.deepEqual(errors[0]!.path, ['worker-type']);
  const bad = indexSearchTree(`  sdk:
    description: d
    worker-type: always-optimized
    run: {using: index-search, index-search: ['a.{no_such_parameter}']}
`);
  const e = await trees.errors(bad);
  assert.match(e[0]!.message, /names \{no_such_parameter\}, which is not a parameter/);
  assert.deepEqual(e[0]!.location, { file: join(bad, 'kinds/toolchain/kind.yml'), line: 8, column: 47 });
});

function mkdirp(dir: string) {
  mkdirSync(dir, { recursive: true });
}
