// The fetch kind: each fetch type's command, artifact, digest and index
// routes, and every wrong entry refused where it is written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { generate } from '../../../../src/transform/pipeline.js';
import { formatDiagnostic } from '../../../../src/transform/diagnostics.js';
import { CONFIG, FETCH_KIND_HEAD, Trees, params } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

const SHA = '24e5130fa7bc1eaab218a0c9cb05e03168fa381bb9e3babddc6a11f655799222';
const REV = '4c0a7e5f8d9b1a2c3e4f5a6b7c8d9e0f1a2b3c4d';

function fetchTree(tasks: string, level: '1' | '3' = '3', config = CONFIG): string {
  return trees.tree({ 'config.yml': config, 'params.yml': params(level), 'kinds/fetch/kind.yml': `${FETCH_KIND_HEAD}tasks:\n${tasks}` });
}
function byLabel(tasks: GeneratedTask[]): Record<string, GeneratedTask> {
  return Object.fromEntries(tasks.map((t) => [t.label, t]));
}
type Payload = { command: string[]; env: Record<string, string>; artifacts: Record<string, { path: string; type: string }>; features?: Record<string, boolean> };
const payloadOf = (t: GeneratedTask) => t.task.payload as Payload;
const sha256 = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

test('static-url: fetch-content checks size and sha256, repacks, sends headers; the digest is of the checks and the name', async () => {
  const root = fetchTree(`  node:
    description: node sources
    docker-image: debian:12
    fetch:
      type: static-url
      url: https://example.com/dist/node-v22.tar.gz
      sha256: ${SHA}
      size: 1234
      artifact-name: node.tar.zst
      strip-components: 1
      add-prefix: node/
      headers: {User-Agent: gadget-ci, X-Token: a b}
`);
  const t = byLabel(await trees.generate(root))['fetch-node']!;
  const p = payloadOf(t);
  assert.deepEqual(p.command, [
    '/usr/local/bin/run-task', '--', 'fetch-content', 'static-url',
    '--sha256', SHA, '--size', '1234', '--strip-components', '1', '--add-prefix', 'node/',
    '-H', 'User-Agent:gadget-ci', '-H', 'X-Token:a b',
    'https://example.com/dist/node-v22.tar.gz', '/builds/worker/artifacts/node.tar.zst',
  ]);
  assert.equal(p.env.UPLOAD_DIR, '/builds/worker/artifacts');
  assert.equal(p.artifacts.public!.path, '/builds/worker/artifacts');
  assert.equal(t.attributes['fetch-artifact'], 'public/node.tar.zst');
  const digest = sha256(['--sha256', SHA, '--size', '1234', '--strip-components', '1', '--add-prefix', 'node/', 'node.tar.zst']);
  assert.deepEqual(t.attributes.cached_task, { type: 'content.v1', name: 'node', digest });
  assert.deepEqual(t.optimization, { 'index-search': [`gadget.cache.level-3.content.v1.node.hash.${digest}`] });
  const routes = t.task.routes as string[];
  assert.ok(routes.includes(`index.gadget.cache.level-3.content.v1.node.hash.${digest}`));
  assert.ok(routes.includes('index.gadget.cache.level-3.content.v1.node.latest'));
  assert.equal(t.task.workerType, 'images');
  assert.equal((t.task.payload as { maxRunTime: number }).maxRunTime, 900);
  assert.equal(p.features?.chainOfTrust, true);
  assert.deepEqual((t.task.extra as { treeherder: { groupSymbol: string; symbol: string; machine: unknown } }).treeherder.groupSymbol, 'Fetch');
  assert.deepEqual(t.attributes.run_on_projects, []);
});

test('static-url: the artifact is named after the URL when artifact-name is not given; a changed checksum changes the digest', async () => {
  const entry = (sha: string) => `  cmake:
    description: d
    docker-image: debian:12
    fetch: {type: static-url, url: 'https://example.com/a/cmake-3.31.tar.gz', sha256: ${sha}, size: 5}
`;
  const one = byLabel(await trees.generate(fetchTree(entry(SHA))))['fetch-cmake']!;
  assert.equal(one.attributes['fetch-artifact'], 'public/cmake-3.31.tar.gz');
  assert.equal(payloadOf(one).command.at(-1), '/builds/worker/artifacts/cmake-3.31.tar.gz');
  const two = byLabel(await trees.generate(fetchTree(entry('f'.repeat(64)))))['fetch-cmake']!;
  assert.notEqual((one.attributes.cached_task as { digest: string }).digest, (two.attributes.cached_task as { digest: string }).digest);
});

test('a key of fetch that taskgraph ignores is ignored here too: the same task, and a warning with its near miss', async () => {
  const entry = (extra: string) => `  cmake:
    description: d
    docker-image: debian:12
    fetch: {type: static-url, url: 'https://example.com/a/cmake-3.31.tar.gz', sha256: ${SHA}, size: 5${extra}}
`;
  const plain = byLabel(await trees.generate(fetchTree(entry(''))))['fetch-cmake']!;
  const root = fetchTree(entry(', strip-component: 1'));
  const result = await generate({ root, paramsFile: join(root, 'params.yml'), runtimeBundlePath: trees.bundle });
  const ignored = byLabel(result.tasks)['fetch-cmake']!;
  assert.deepEqual(ignored.task, plain.task);
  const warnings = result.warnings.filter((w) => w.message.includes('strip-component'));
  assert.deepEqual(warnings.map((w) => [w.severity, w.message, w.hint]), [['warning', 'unknown key "strip-component" is ignored, as taskgraph ignores it', 'did you mean "strip-components"?']]);
});

test('git: path-prefix defaults to the repository name, include-dot-git, ssh-key adds the secret scope and the proxy; alias and prefix', async () => {
  const tasks = byLabel(
    await trees.generate(
      fetchTree(`  tools:
    description: d
    docker-image: debian:12
    fetch-alias: gadget-tools
    fetch: {type: git, repo: 'https://example.com/gadget/tools/', revision: ${REV}, include-dot-git: true}
  private:
    description: d
    docker-image: debian:12
    artifact-prefix: gadget/private
    expires-after: 2 years
    attributes: {licence: proprietary}
    fetch: {type: git, repo: 'git@example.com:gadget/private.git', revision: ${REV}, path-prefix: p, ssh-key: project/gadget/key}
`),
    ),
  );
  const tools = tasks['fetch-tools']!;
  assert.deepEqual(payloadOf(tools).command.slice(2), [
    'fetch-content', 'git-checkout-archive', '--path-prefix', 'tools', 'https://example.com/gadget/tools/', REV, '/builds/worker/artifacts/tools.tar.zst', '--include-dot-git',
  ]);
  assert.equal(tools.attributes['fetch-alias'], 'gadget-tools');
  assert.equal((tools.attributes.cached_task as { digest: string }).digest, sha256([REV, 'tools', 'tools.tar.zst', '.git']));
  const priv = tasks['fetch-private']!;
  assert.deepEqual(payloadOf(priv).command.slice(-2), ['--ssh-key-secret', 'project/gadget/key']);
  assert.deepEqual(priv.task.scopes, ['secrets:get:project/gadget/key']);
  assert.equal(payloadOf(priv).features?.taskclusterProxy, true);
  assert.equal(priv.attributes['fetch-artifact'], 'gadget/private/p.tar.zst');
  assert.equal(priv.attributes.licence, 'proprietary');
  assert.ok(payloadOf(priv).artifacts['gadget/private']);
});

test('expiry: 1000 years at level 3; config.yml task-expires-after (else 28 days) below; a lower level searches the levels above it first', async () => {
  const entry = `  f:\n    description: d\n    docker-image: debian:12\n    fetch: {type: static-url, url: 'https://example.com/f', sha256: ${SHA}, size: 1}\n`;
  const expiresAt = (t: GeneratedTask) => String(t.task.expires);
  const level3 = (await trees.generate(fetchTree(entry, '3')))[0]!;
  const level1 = (await trees.generate(fetchTree(entry, '1')))[0]!;
  const configured = (await trees.generate(fetchTree(entry, '1', `${CONFIG}task-expires-after: 45 days\n`)))[0]!;
  const year = (t: GeneratedTask) => new Date(expiresAt(t)).getUTCFullYear() - new Date(String(t.task.created)).getUTCFullYear();
  assert.equal(year(level3), 1000);
  const days = (t: GeneratedTask) => Math.round((Date.parse(expiresAt(t)) - Date.parse(String(t.task.created))) / 86400000);
  assert.equal(days(level1), 28);
  assert.equal(days(configured), 45);
  const digest = (level1.attributes.cached_task as { digest: string }).digest;
  assert.deepEqual((level1.optimization as { 'index-search': string[] })['index-search'], [3, 2, 1].map((l) => `gadget.cache.level-${l}.content.v1.f.hash.${digest}`));
});

async function errorsOf(tasks: string) {
  const root = fetchTree(tasks);
  return { errors: await trees.errors(root), file: join(root, 'kinds/fetch/kind.yml') };
}

test('an unknown fetch type is located at fetch.type and names the supported ones', async () => {
  const { errors, file } = await errorsOf(`  f:\n    description: d\n    fetch:\n      type: chromium\n`);
  assert.equal(errors.length, 1, errors.map(formatDiagnostic).join('\n'));
  assert.match(errors[0]!.message, /fetch type "chromium" of fetch f is not supported/);
  assert.equal(errors[0]!.expected, 'one of: static-url, git');
  assert.deepEqual(errors[0]!.location, { file, line: 9, column: 13 });
});

test('a static-url without sha256, a size that is not a number, an unknown key: each located', async () => {
  const { errors, file } = await errorsOf(`  f:\n    description: d\n    fetch:\n      type: static-url\n      url: https://example.com/f\n      size: big\n      strip-component: 1\n`);
  const text = errors.map(formatDiagnostic).join('\n');
  assert.match(text, /sha256/);
  const size = errors.find((d) => d.path?.join('.') === 'fetch.size');
  assert.ok(size, text);
  assert.deepEqual(size.location, { file, line: 11, column: 13 });
  const unknown = errors.find((d) => /strip-component/.test(d.message));
  assert.ok(unknown, text);
  assert.equal(unknown.hint, 'did you mean "strip-components"?');
});

test('a git revision that is not a full commit id is refused', async () => {
  const { errors, file } = await errorsOf(`  f:\n    description: d\n    fetch: {type: git, repo: 'https://example.com/r', revision: main}\n`);
  const d = errors.find((e) => e.path?.join('.') === 'fetch.revision');
  assert.ok(d, errors.map(formatDiagnostic).join('\n'));
  assert.equal(d.location?.file, file);
  assert.equal(d.location?.line, 8);
});

test('an entry without description, or with a key the fetch kind does not have, is refused at the entry', async () => {
  const { errors } = await errorsOf(`  f:\n    worker-type: b-linux\n    fetch: {type: git, repo: 'https://example.com/r', revision: ${REV}}\n`);
  const text = errors.map(formatDiagnostic).join('\n');
  assert.match(text, /description/);
  assert.match(text, /worker-type/);
});
