// `fetches:` on a task: the dependencies it adds, MOZ_FETCHES exactly as
// taskgraph writes it, artifact prefixes, and a located error for every entry
// that names nothing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { formatDiagnostic } from '../../../../src/transform/diagnostics.js';
import { CONFIG, FETCH_KIND_HEAD, RUN_KIND_HEAD, Trees, params } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

const SHA = '24e5130fa7bc1eaab218a0c9cb05e03168fa381bb9e3babddc6a11f655799222';
const REV = '4c0a7e5f8d9b1a2c3e4f5a6b7c8d9e0f1a2b3c4d';

const FETCH_KIND = `${FETCH_KIND_HEAD}tasks:
  cmake:
    description: d
    docker-image: debian:12
    fetch: {type: static-url, url: 'https://example.com/cmake.tar.gz', sha256: ${SHA}, size: 1}
  tools-repo:
    description: d
    docker-image: debian:12
    fetch-alias: tools
    fetch: {type: git, repo: 'https://example.com/tools', revision: ${REV}}
  secret-blob:
    description: d
    docker-image: debian:12
    artifact-prefix: gadget/private
    fetch: {type: git, repo: 'https://example.com/blob', revision: ${REV}}
`;

// Toolchains found in an index: enough to be fetched, no script to hash.
const TOOLCHAIN_KIND = `${RUN_KIND_HEAD}tasks:
  linux64-clang:
    description: d
    worker-type: always-optimized
    attributes:
      toolchain-artifact: public/build/clang.tar.zst
      toolchain-alias: clang
      toolchain-env: {CLANG_HOME: '{MOZ_FETCHES_DIR}/clang'}
    run: {using: index-search, index-search: [gadget.v2.clang]}
`;

const COMPILE_KIND = `transforms:
  - taskgraph.transforms.task:transforms
tasks:
  public:
    description: d
    worker-type: b-linux
    worker: {docker-image: debian:12, max-run-time: 60, command: [make]}
  private:
    description: d
    worker-type: b-linux
    attributes: {artifact_prefix: gadget/compile}
    worker: {docker-image: debian:12, max-run-time: 60, command: [make]}
`;

function buildTree(task: string, worker = 'b-linux'): string {
  const workerSection = worker === 'b-linux' ? '{docker-image: debian:12, max-run-time: 60}' : '{max-run-time: 60}';
  return trees.tree({
    'config.yml': CONFIG,
    'params.yml': params('3'),
    'kinds/fetch/kind.yml': FETCH_KIND,
    'kinds/toolchain/kind.yml': TOOLCHAIN_KIND,
    'kinds/compile/kind.yml': COMPILE_KIND,
    'kinds/build/kind.yml': `${RUN_KIND_HEAD}kind-dependencies: [fetch, toolchain, compile]
tasks:
  b:
    description: d
    worker-type: ${worker}
    worker: ${workerSection}
    run: {using: run-task, checkout: false, command: make}
${task}`,
  });
}
const build = (tasks: GeneratedTask[]) => tasks.find((t) => t.label === 'build-b')!;
type Payload = { env: Record<string, unknown>; features?: Record<string, boolean>; mounts?: { file?: string }[] };
const payloadOf = (t: GeneratedTask) => t.task.payload as Payload;
const mozFetches = (t: GeneratedTask) => (payloadOf(t).env.MOZ_FETCHES as { 'task-reference': string })['task-reference'];

test('fetch and toolchain entries by name and alias: dependencies, MOZ_FETCHES sorted (kind, then name; keys sorted, compact), MOZ_FETCHES_DIR, toolchain-env', async () => {
  const t = build(
    await trees.generate(
      buildTree(`    fetches:
      toolchain: [clang]
      fetch:
        - tools
        - artifact: cmake
          extract: false
          dest: tools/cmake
          verify-hash: true
`),
    ),
  );
  assert.equal(
    mozFetches(t),
    '[{"artifact":"public/cmake.tar.gz","dest":"tools/cmake","extract":false,"task":"<fetch-cmake>","verify-hash":true},' +
      '{"artifact":"public/tools.tar.zst","extract":true,"task":"<fetch-tools-repo>"},' +
      '{"artifact":"public/build/clang.tar.zst","extract":true,"task":"<toolchain-linux64-clang>"}]',
  );
  assert.deepEqual(t.dependencies, {
    'fetch-cmake': 'fetch-cmake',
    'fetch-tools-repo': 'fetch-tools-repo',
    'toolchain-linux64-clang': 'toolchain-linux64-clang',
  });
  assert.equal(payloadOf(t).env.MOZ_FETCHES_DIR, 'fetches');
  assert.equal(payloadOf(t).env.CLANG_HOME, '{MOZ_FETCHES_DIR}/clang');
  // Everything public: no proxy, no scope.
  assert.equal(payloadOf(t).features?.taskclusterProxy, undefined);
  assert.deepEqual(t.task.scopes, []);
});

test('a dependency of another kind: artifacts below its prefix (public/build, or its artifact_prefix); private prefixes add the proxy and one scope each', async () => {
  const t = build(
    await trees.generate(
      buildTree(`    dependencies: {pub: compile-public, priv: compile-private}
    fetches:
      pub: [target.tar.gz, {artifact: symbols.zip, extract: false}]
      priv: [out.tar.zst, more/x.zip]
      fetch: [secret-blob]
`),
    ),
  );
  // Sorted by the key under fetches (fetch, priv, pub), then by artifact.
  assert.equal(
    mozFetches(t),
    '[{"artifact":"gadget/private/blob.tar.zst","extract":true,"task":"<fetch-secret-blob>"},' +
      '{"artifact":"gadget/compile/more/x.zip","extract":true,"task":"<priv>"},{"artifact":"gadget/compile/out.tar.zst","extract":true,"task":"<priv>"},' +
      '{"artifact":"public/build/symbols.zip","extract":false,"task":"<pub>"},{"artifact":"public/build/target.tar.gz","extract":true,"task":"<pub>"}]',
  );
  assert.equal(payloadOf(t).features?.taskclusterProxy, true);
  assert.deepEqual(t.task.scopes, [
    'queue:get-artifact:gadget/compile/*',
    'queue:get-artifact:gadget/compile/more/*',
    'queue:get-artifact:gadget/private/*',
  ]);
});

test('generic-worker: only run-task is mounted, which does the fetches itself (no fetch-content beside it)', async () => {
  const t = build(await trees.generate(buildTree('    fetches:\n      fetch: [cmake]\n', 't-linux')));
  assert.deepEqual(
    payloadOf(t).mounts?.map((m) => m.file),
    ['./run-task'],
  );
  assert.match(mozFetches(t), /"artifact":"public\/cmake\.tar\.zst"|"task":"<fetch-cmake>"/);
});

async function errorsOf(task: string) {
  const root = buildTree(task);
  return { errors: await trees.errors(root), file: join(root, 'kinds/build/kind.yml') };
}

test('a fetch name that is neither a task nor an alias: located at the entry, naming what exists', async () => {
  const { errors, file } = await errorsOf('    fetches:\n      fetch: [cmake, node]\n');
  assert.equal(errors.length, 1, errors.map(formatDiagnostic).join('\n'));
  assert.match(errors[0]!.message, /task build-b fetches "node" from kind fetch, but there is no fetch task of that name or alias/);
  assert.equal(errors[0]!.expected, 'one of: cmake, secret-blob, tools, tools-repo');
  assert.deepEqual(errors[0]!.location, { file, line: 12, column: 22 });
});

test('fetching from a task that failed is not a second error: the task is said to be skipped because of it', async () => {
  const root = buildTree('    fetches:\n      fetch: [cmake]\n');
  // cmake's fetch loses its size: an error in kind fetch, the only one.
  const fetchKind = join(root, 'kinds/fetch/kind.yml');
  writeFileSync(fetchKind, FETCH_KIND.replace(`sha256: ${SHA}, size: 1}`, `sha256: ${SHA}}`));
  const diagnostics = await trees.errors(root);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, diagnostics.map(formatDiagnostic).join('\n'));
  assert.equal(errors[0]!.location?.file, fetchKind);
  const skipped = diagnostics.filter((d) => d.message.includes('was skipped'));
  assert.deepEqual(skipped.map((d) => [d.severity, d.message]), [['warning', 'task build-b was skipped because fetch-cmake, which it fetches "cmake" from, failed']]);
  assert.equal(skipped[0]!.location?.file, join(root, 'kinds/build/kind.yml'));
});

test('a list of toolchain aliases cannot be fetched by (as in taskgraph), a single one can', async () => {
  const { errors } = await errorsOf('    fetches:\n      toolchain: [clangs]\n');
  assert.match(errors[0]!.message, /no toolchain task of that name or alias/);
  assert.equal(errors[0]!.expected, 'one of: clang, linux64-clang');
});

test('fetching from a name that is not a dependency of the task', async () => {
  const { errors, file } = await errorsOf('    fetches:\n      compile: [target.tar.gz]\n');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /fetches artifacts of "compile", which is not one of its dependencies/);
  assert.equal(errors[0]!.hint, 'add `dependencies: {compile: <label>}` to the task');
  assert.deepEqual(errors[0]!.location, { file, line: 12, column: 16 });
});

test('fetching from a kind that is not a kind-dependency says to list it', async () => {
  const root = trees.tree({
    'config.yml': CONFIG,
    'params.yml': params('3'),
    'kinds/fetch/kind.yml': FETCH_KIND,
    'kinds/build/kind.yml': `${RUN_KIND_HEAD}tasks:\n  b:\n    description: d\n    worker-type: b-linux\n    worker: {docker-image: debian:12, max-run-time: 60}\n    run: {using: run-task, checkout: false, command: make}\n    fetches: {fetch: [cmake]}\n`,
  });
  const errors = await trees.errors(root);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.hint, "list `fetch` under kind-dependencies in this kind's kind.yml");
});

test('a dependency edge into a kind that is not a kind-dependency is refused, however the kinds are ordered (as taskgraph reads only kind-dependencies)', async () => {
  const root = trees.tree({
    'config.yml': CONFIG,
    'params.yml': params('3'),
    // "compile" sorts before "zbuild": it is generated first, yet not one of zbuild's kind-dependencies.
    'kinds/compile/kind.yml': COMPILE_KIND,
    'kinds/zbuild/kind.yml': `${RUN_KIND_HEAD}tasks:\n  b:\n    description: d\n    worker-type: b-linux\n    worker: {docker-image: debian:12, max-run-time: 60}\n    run: {using: run-task, checkout: false, command: make}\n    dependencies: {compile: compile-private}\n    fetches: {compile: [target.tar.gz]}\n`,
  });
  const errors = await trees.errors(root);
  assert.equal(errors.length, 1, errors.map(formatDiagnostic).join('\n'));
  assert.match(errors[0]!.message, /which is not a task of this kind or of its kind-dependencies/);
});

test('an entry with an unknown key or a wrong type is refused where it is', async () => {
  const { errors, file } = await errorsOf('    fetches:\n      fetch:\n        - artifact: cmake\n          extrct: false\n        - 3\n');
  const text = errors.map(formatDiagnostic).join('\n');
  assert.match(text, /extrct/);
  assert.ok(errors.every((d) => d.location?.file === file), text);
  assert.ok(errors.some((d) => d.path?.join('.') === 'fetches.fetch.1'), text);
});
