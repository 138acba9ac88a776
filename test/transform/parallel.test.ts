// Generation in several threads (`generate --jobs N`): the kinds shared out
// between real worker threads must give the bytes and warnings of a serial
// run, and any problem must send the work back to the serial run, which
// reports it as always.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { writeSyntheticTree } from '../../bench/synthetic-tree.js';
import { toTaskgraphJson } from '../../src/transform/output/emit.js';
import { generateJsonInShards } from '../../src/transform/parallel/generate-in-shards.js';
import { generateShard, NEXT_KIND, SHARED_SLOTS, type ShardRequest, type ShardResult } from '../../src/transform/parallel/generate-shard.js';
import { planShards } from '../../src/transform/parallel/plan-shards.js';
import { generate } from '../../src/transform/pipeline.js';
import { cli, fixtureRoot, fixtures, runCli } from '../cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'parallel-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');

async function serialJson(root: string, paramsFile: string): Promise<string> {
  return `${JSON.stringify(toTaskgraphJson((await generate({ root, paramsFile })).tasks), null, 2)}\n`;
}

function copyOfFixture(name: string): string {
  const root = join(scratch, name);
  cpSync(fixtureRoot, root, { recursive: true });
  return root;
}

function edit(root: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(root, file), 'utf8');
  assert.ok(text.includes(from), `${file} does not contain ${from}`);
  writeFileSync(join(root, file), text.replace(from, to));
}

/** A second kind of images whose parent the docker-image kind builds: its cached_tasks needs that kind's digests. */
function addImageKind(root: string): void {
  mkdirSync(join(root, 'kinds', 'more-images'));
  writeFileSync(
    join(root, 'kinds', 'more-images', 'kind.yml'),
    [
      'loader: taskgraph.loader.transform:loader',
      'kind-dependencies: [docker-image]',
      'transforms:',
      '    - taskgraph.transforms.docker_image:transforms',
      '    - taskgraph.transforms.cached_tasks:transforms',
      '    - taskgraph.transforms.task:transforms',
      'tasks:',
      '    tester:',
      '        symbol: I(tester)',
      '        parent: builder',
      '',
    ].join('\n'),
  );
  mkdirSync(join(root, 'docker', 'tester'));
  writeFileSync(join(root, 'docker', 'tester', 'Dockerfile'), 'ARG DOCKER_IMAGE_PARENT\nFROM $DOCKER_IMAGE_PARENT\nRUN true\n');
}

const kindsOf = (root: string) => readdirSync(join(root, 'kinds')).sort();
function kindBytes(root: string, kind: string): number {
  const dir = join(root, 'kinds', kind);
  return readdirSync(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

describe('planShards', () => {
  const tree = writeSyntheticTree(join(scratch, 'plan'), 2_000);

  test('hands out every kind once, heaviest first', () => {
    const plan = planShards(tree.root, 2, 0);
    assert.equal(plan.threads, 2);
    assert.deepEqual([...plan.kinds].sort(), kindsOf(tree.root));
    const bytes = plan.kinds.map((kind) => kindBytes(tree.root, kind));
    assert.deepEqual(bytes, [...bytes].sort((x, y) => y - x));
    assert.ok(bytes[0]! > bytes.at(-1)!, 'the synthetic tree has kinds of different sizes');
  });

  test('does not split a small tree unless told to', () => {
    assert.equal(planShards(fixtureRoot, 2).threads, 1);
    assert.equal(planShards(fixtureRoot, 2, 0).threads, 2);
    assert.equal(planShards(fixtureRoot, 64, 0).threads, kindsOf(fixtureRoot).length);
  });
});

describe('generateJsonInShards', () => {
  test('gives the bytes of a serial run, in worker threads, whatever the number of shares', async () => {
    const tree = writeSyntheticTree(join(scratch, 'synthetic'), 600);
    const serial = await serialJson(tree.root, tree.params);
    for (const width of [2, 3, 16]) {
      const sharded = await generateJsonInShards({ root: tree.root, paramsFile: tree.params }, { width, force: true });
      assert.ok(sharded, `width ${width}: fell back to the serial run`);
      assert.equal(sharded.shards, Math.min(width, kindsOf(tree.root).length));
      assert.equal(sharded.text, serial, `width ${width}`);
    }
  });

  test('a cached_tasks kind in one thread gets the digests of the kind it depends on from another', async () => {
    const root = copyOfFixture('cross-kind-cache');
    addImageKind(root);
    const sharded = await generateJsonInShards({ root, paramsFile: params }, { width: 64, force: true });
    assert.ok(sharded, 'fell back to the serial run');
    assert.equal(sharded.shards, kindsOf(root).length, 'as many threads as kinds');
    assert.equal(sharded.text, await serialJson(root, params));
    const tester = (JSON.parse(sharded.text) as Record<string, { optimization: { 'index-search': string[] } }>)['docker-image-tester'];
    assert.ok(tester, 'the second image kind is in the output');
  });

  test('a kind taken alone gets the digests of the kinds its cached_tasks reads from, without emitting them', async () => {
    const root = copyOfFixture('kind-alone');
    addImageKind(root);
    const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * 4));
    const result = await generateShard({ options: { root, paramsFile: params }, kinds: ['more-images'], shared });
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.deepEqual(result.kinds.map((k) => k.name), ['more-images']);
    const piece = JSON.parse(`{${result.kinds[0]!.json}}`) as Record<string, unknown>;
    const serial = JSON.parse(await serialJson(root, params)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(piece), ['docker-image-tester']);
    assert.deepEqual(piece['docker-image-tester'], serial['docker-image-tester']);
    assert.equal(shared[NEXT_KIND], 2, 'one kind taken, then the end of the list seen');
  });

  test('hands back to the serial run when any problem is found, also one only the whole graph shows', async () => {
    const broken: Record<string, (root: string) => void> = {
      'an invalid task': (root) => edit(root, 'kinds/build/linux.yml', "    description: 'Debug build for Linux x86-64'", "    descripton: 'x'"),
      'a label defined in two kinds': (root) =>
        edit(root, 'kinds/lint/kind.yml', '    flake8:\n', '    flake8:\n        label: build-linux64-debug\n'),
      'a dependency on a label of no kind': (root) => edit(root, 'kinds/test/kind.yml', 'build: build-linux64-debug', 'build: build-linux64-dbug'),
      'kinds depending on each other': (root) => {
        edit(root, 'kinds/lint/kind.yml', 'kind-dependencies:\n    - docker-image\n', 'kind-dependencies:\n    - docker-image\n    - test\n');
        edit(root, 'kinds/test/kind.yml', 'kind-dependencies:\n    - build\n', 'kind-dependencies:\n    - build\n    - lint\n');
      },
    };
    for (const [name, breakIt] of Object.entries(broken)) {
      const root = copyOfFixture(`broken-${name.replaceAll(' ', '-')}`);
      breakIt(root);
      assert.equal(await generateJsonInShards({ root, paramsFile: params }, { width: 64, force: true }), undefined, name);
    }
  });
});

describe('tc-payload generate --jobs', () => {
  test('writes the same bytes and warnings as --jobs 1, on each bundled tree', () => {
    const trees: [string, string][] = [
      [fixtureRoot, params],
      [join(fixtures, 'short-form'), join(fixtures, 'short-form', 'params-level-3.yml')],
    ];
    for (const [root, paramsFile] of trees) {
      const serial = runCli(['generate', '--root', root, '--params', paramsFile, '--jobs', '1']);
      assert.equal(serial.status, 0, serial.stderr);
      const parallel = runCli(['generate', '--root', root, '--params', paramsFile, '--jobs', '3']);
      assert.equal(parallel.status, 0, parallel.stderr);
      assert.equal(parallel.stdout, serial.stdout);
      assert.equal(parallel.stderr, serial.stderr);
    }
  });

  test('the installed thread entry point generates its share (a broken one would only send --jobs back to one thread)', async () => {
    const { kinds } = planShards(fixtureRoot, 2, 0);
    const request: ShardRequest = {
      options: { root: fixtureRoot, paramsFile: params },
      kinds,
      shared: new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT)),
    };
    const worker = new Worker(join(dirname(cli), 'shard-worker.js'), { workerData: request });
    const reply = await new Promise<ShardResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.deepEqual(reply.kinds.map((kind) => kind.name).sort(), [...kinds].sort());
    const joined = JSON.parse(`{${reply.kinds.map((kind) => kind.json).filter((json) => json !== '').join(',')}}`) as Record<string, unknown>;
    assert.deepEqual(Object.keys(joined).sort(), Object.keys(JSON.parse(await serialJson(fixtureRoot, params)) as object).sort());
  });

  test("a broken tree gets the serial run's report and exit status", () => {
    const root = copyOfFixture('cli-broken');
    edit(root, 'kinds/test/kind.yml', 'build: build-linux64-debug', 'build: build-linux64-dbug');
    edit(root, 'kinds/build/linux.yml', "    description: 'Debug build for Linux x86-64'", "    descripton: 'x'");
    const serial = runCli(['generate', '--root', root, '--params', params, '--jobs', '1']);
    const parallel = runCli(['generate', '--root', root, '--params', params, '--jobs', '4']);
    assert.equal(serial.status, 1);
    assert.equal(parallel.status, 1);
    assert.equal(parallel.stderr, serial.stderr);
    assert.match(parallel.stderr, /descripton/);
    assert.equal(parallel.stdout, '');
  });

  test('--jobs takes a positive number', () => {
    for (const bad of ['0', 'two', '1.5']) {
      const result = runCli(['generate', '--root', fixtureRoot, '--params', params, '--jobs', bad]);
      assert.equal(result.status, 1, bad);
      assert.match(result.stderr, /--jobs takes a number of threads/);
    }
  });
});
