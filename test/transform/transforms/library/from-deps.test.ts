// taskgraph.transforms.from_deps through real kind trees: the tasks followed,
// how they are grouped, named and what each new task takes from them; and
// every refusal, located in the kind's YAML.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { generateJsonInShards } from '../../../../src/transform/parallel/generate-in-shards.js';
import { toTaskgraphJson } from '../../../../src/transform/output/emit.js';
import { generate } from '../../../../src/transform/pipeline.js';
import { registerGroupBy } from '../../../../src/transform/transforms/from-deps/group-by.js';
import { registerSetName } from '../../../../src/transform/transforms/from-deps/set-name.js';
import { kind, oneError, Trees, WORKER } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

/** Five builds (linux/win × opt/debug, and mac opt) and two lints, each with attributes. */
const BUILD = kind(
  [],
  `tasks:
${[
  ['linux-opt', 'linux', 'opt'],
  ['linux-debug', 'linux', 'debug'],
  ['win-opt', 'win', 'opt'],
  ['win-debug', 'win', 'debug'],
  ['mac-opt', 'mac', 'opt'],
]
  .map(
    ([name, platform, type]) => `  ${name}:
    description: build ${name}
    attributes: {platform: ${platform}, build-type: ${type}, nested: {a: 1}}
${WORKER}`,
  )
  .join('\n')}
  lint:
    description: lint
    attributes: {build-type: opt}
${WORKER}`,
);

function tree(kinds: Record<string, string>, extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { 'taskcluster/kinds/build/kind.yml': BUILD, ...extra };
  for (const [name, text] of Object.entries(kinds)) files[`taskcluster/kinds/${name}/kind.yml`] = text;
  return trees.tree(files);
}

const fromDeps = (deps: string[], task: string) =>
  kind(['from_deps'], `kind-dependencies: [${deps.join(', ')}]\ntasks:\n${task}${WORKER}`);

describe('from_deps', () => {
  test('group-by single (the default): one task per followed task, named after it without its kind, depending on it by kind', async () => {
    const root = tree({
      signing: fromDeps(
        ['build'],
        `  signing:
    from-deps:
      with-attributes:
        build-type: opt
        platform: [linux, mac]
    description: sign
    attributes: {signed: true}
`,
      ),
    });
    const tasks = await trees.generate(root);
    const signing = [...tasks.values()].filter((t) => t.kind === 'signing');
    assert.deepEqual(signing.map((t) => t.label).sort(), ['signing-linux-opt', 'signing-mac-opt']);
    const linux = tasks.get('signing-linux-opt')!;
    assert.deepEqual(linux.dependencies, { build: 'build-linux-opt' });
    assert.equal(linux.attributes['primary-kind-dependency'], 'build');
    assert.equal(linux.attributes['primary-dependency-label'], 'build-linux-opt');
    assert.equal(linux.attributes.signed, true);
    // Without copy-attributes nothing of the build's attributes comes along.
    assert.equal(linux.attributes.platform, undefined);
  });

  test('copy-attributes copies the primary dependency\'s attributes under the task\'s own; set-name retain-kind keeps the kind in the name', async () => {
    const root = tree({
      signing: fromDeps(
        ['build'],
        `  signing:
    from-deps:
      with-attributes: {platform: win}
      copy-attributes: true
      set-name: retain-kind
    description: sign
    attributes: {build-type: signed}
`,
      ),
    });
    const tasks = await trees.generate(root);
    const signed = tasks.get('signing-build-win-debug')!;
    assert.ok(tasks.has('signing-build-win-opt'));
    assert.equal(signed.attributes.platform, 'win');
    assert.deepEqual(signed.attributes.nested, { a: 1 });
    assert.equal(signed.attributes['build-type'], 'signed', 'the task\'s own attribute wins');
    assert.equal(signed.attributes.kind, 'signing');
  });

  test('group-by attribute over two kinds: one task per value, the first listed kind is the primary one; tasks without the attribute are left out', async () => {
    const root = tree({
      signing: fromDeps(['build'], `  signing:\n    from-deps: {with-attributes: {build-type: opt}, copy-attributes: true}\n    description: sign\n`),
      bundle: fromDeps(
        ['build', 'signing'],
        `  bundle:
    from-deps:
      kinds: [signing, build]
      with-attributes: {build-type: opt}
      group-by: {attribute: platform}
    description: bundle
`,
      ),
    });
    const tasks = await trees.generate(root);
    const bundles = [...tasks.values()].filter((t) => t.kind === 'bundle');
    // lint has build-type opt but no platform: in no group.
    assert.deepEqual(bundles.map((t) => t.label).sort(), ['bundle-linux-opt', 'bundle-mac-opt', 'bundle-win-opt']);
    const linux = tasks.get('bundle-linux-opt')!;
    assert.deepEqual(linux.dependencies, { build: 'build-linux-opt', signing: 'signing-linux-opt' });
    assert.equal(linux.attributes['primary-kind-dependency'], 'signing');
    assert.equal(linux.attributes['primary-dependency-label'], 'signing-linux-opt');
  });

  test('group-by all with unique-kinds false and set-name false: one task on every followed task, dependencies named by label', async () => {
    const root = tree({
      summary: fromDeps(
        ['build'],
        `  all:
    from-deps:
      group-by: all
      unique-kinds: false
      set-name: false
      with-attributes: {build-type: debug}
    description: summary
`,
      ),
    });
    const tasks = await trees.generate(root);
    const summary = tasks.get('summary-all')!;
    assert.deepEqual(summary.dependencies, { 'build-linux-debug': 'build-linux-debug', 'build-win-debug': 'build-win-debug' });
    assert.equal(summary.attributes['primary-dependency-label'], 'build-linux-debug', 'the first task of the primary kind');
  });

  test('null where taskgraph 24.2 reads None: set-name null keeps the name, unique-kinds null is false, with-attributes, copy-attributes and fetches null are nothing', async () => {
    const root = tree({
      upload: fromDeps(
        ['build'],
        `  upload:
    from-deps:
      group-by: all
      set-name: null
      unique-kinds: null
      with-attributes: null
      copy-attributes: null
      fetches: null
    description: upload everything
`,
      ),
    });
    const tasks = await trees.generate(root);
    const upload = tasks.get('upload-upload')!;
    assert.ok(upload, [...tasks.keys()].join(', '));
    assert.equal(Object.keys(upload.dependencies).length, 6, 'every build task, named by label');
    assert.equal(upload.dependencies['build-lint'], 'build-lint');
    assert.equal(upload.attributes.platform, undefined, 'no attributes copied');
  });

  test('a task without from-deps passes through; kinds default to kind-dependencies; the task\'s own dependencies stay', async () => {
    const root = tree({
      after: fromDeps(
        ['build'],
        `  plain:
    description: no from-deps
    dependencies: {lint: build-lint}
${WORKER}  each:
    from-deps: {with-attributes: {platform: mac}}
    dependencies: {lint: build-lint}
    description: each
`,
      ),
    });
    const tasks = await trees.generate(root);
    assert.deepEqual(tasks.get('after-plain')!.dependencies, { lint: 'build-lint' });
    assert.deepEqual(tasks.get('after-mac-opt')!.dependencies, { lint: 'build-lint', build: 'build-mac-opt' });
  });

  test('fetches: per dependency of a listed kind, artifact and dest formatted with that dependency\'s attributes', async () => {
    const root = tree({
      summary: fromDeps(
        ['build'],
        `  all:
    from-deps:
      group-by: all
      unique-kinds: false
      with-attributes: {build-type: opt, platform: [linux, win]}
      fetches:
        build:
          - artifact: target-{platform}.tar.gz
            dest: '{build-type}/{platform}'
            extract: false
          - artifact: checksums
    description: summary
`,
      ),
    });
    // The fetches stage turns from_deps' fetches into MOZ_FETCHES, as taskgraph's run transform does.
    const summary = (await trees.generate(root)).get('summary-linux-opt')!;
    const env = (summary.task.payload as { env: Record<string, unknown> }).env;
    const fetches = JSON.parse((env.MOZ_FETCHES as { 'task-reference': string })['task-reference']) as unknown[];
    assert.deepEqual(fetches, [
      { artifact: 'public/build/checksums', extract: true, task: '<build-linux-opt>' },
      { artifact: 'public/build/target-linux.tar.gz', dest: 'opt/linux', extract: false, task: '<build-linux-opt>' },
      { artifact: 'public/build/checksums', extract: true, task: '<build-win-opt>' },
      { artifact: 'public/build/target-win.tar.gz', dest: 'opt/win', extract: false, task: '<build-win-opt>' },
    ]);
    const byKind = tree({
      signing: fromDeps(['build'], `  signing:\n    from-deps: {with-attributes: {platform: mac}, fetches: {build: [{artifact: 'app-{platform}.dmg'}]}}\n    description: sign\n`),
    });
    const [signing] = await trees.items(byKind, 'signing');
    assert.equal(signing!.value['from-deps'], undefined);
    const signingEnv = ([...(await trees.generate(byKind)).values()].find((t) => t.kind === 'signing')!.task.payload as { env: Record<string, unknown> }).env;
    assert.match((signingEnv.MOZ_FETCHES as { 'task-reference': string })['task-reference'], /"artifact":"public\/build\/app-mac\.dmg".*"task":"<build>"/, 'by kind when kinds are unique');
  });

  test('group-by and set-name functions registered by a plugin, with and without an argument', async () => {
    registerGroupBy('test-by-pairs', {
      checkArgument: (n) => (typeof n === 'number' && n > 0 ? undefined : 'the argument must be a positive number'),
      group: (_context, tasks, n) => {
        const groups = [];
        for (let i = 0; i < tasks.length; i += n as number) groups.push(tasks.slice(i, i + (n as number)));
        return groups;
      },
    });
    registerSetName('test-upper', { name: (_context, _tasks, primary) => primary.label.toUpperCase() });
    const root = tree({
      pairs: fromDeps(
        ['build'],
        `  pairs:
    from-deps: {group-by: {test-by-pairs: 2}, unique-kinds: false, set-name: test-upper, with-attributes: {build-type: opt}}
    description: pairs
`,
      ),
    });
    const pairs = [...(await trees.generate(root)).values()].filter((t) => t.kind === 'pairs');
    assert.deepEqual(pairs.map((t) => [t.label, Object.keys(t.dependencies)]).sort(), [
      ['pairs-BUILD-LINUX-OPT', ['build-linux-opt', 'build-win-opt']],
      ['pairs-BUILD-MAC-OPT', ['build-mac-opt', 'build-lint']],
    ]);
    const bad = tree({ pairs: fromDeps(['build'], `  pairs:\n    from-deps: {group-by: {test-by-pairs: 0}}\n    description: pairs\n`) });
    assert.match(oneError(await trees.errors(bad)), /pairs\/kind\.yml:\d+:\d+: from-deps\.group-by: from_deps: the argument must be a positive number/);
  });

  test('generated in parallel, a from_deps kind sees the tasks of its kind-dependencies as in a serial run', async () => {
    const root = tree({
      signing: fromDeps(['build'], `  signing:\n    from-deps: {copy-attributes: true}\n    description: sign\n`),
      bundle: fromDeps(['signing'], `  bundle:\n    from-deps: {group-by: {attribute: platform}, unique-kinds: false}\n    description: bundle\n`),
    });
    const paramsFile = join(dirname(root), 'params.yml');
    const serial = `${JSON.stringify(toTaskgraphJson((await generate({ root, paramsFile, runtimeBundlePath: trees.bundle })).tasks), null, 2)}\n`;
    const sharded = await generateJsonInShards({ root, paramsFile, runtimeBundlePath: trees.bundle }, { width: 3, force: true });
    assert.ok(sharded, 'fell back to the serial run');
    assert.equal(sharded.shards, 3);
    assert.equal(sharded.text, serial);
    assert.match(serial, /"bundle-linux-opt"/);
  });
});

describe('from_deps refuses', () => {
  const refused = async (task: string, deps = ['build']) => oneError(await trees.errors(tree({ follow: fromDeps(deps, task) })));

  test('a kind that is not a kind-dependency, naming the kind-dependencies', async () => {
    assert.match(
      await refused(`  f:\n    from-deps:\n      kinds: [build, signing]\n    description: x\n`),
      /follow\/kind\.yml:\d+:\d+: from-deps\.kinds\[1\]: from_deps: kind "signing" is not in the kind-dependencies of kind follow \(expected one of the kind-dependencies: build; add signing to kind-dependencies in .*follow\/kind\.yml\)/,
    );
  });

  test('no kinds at all', async () => {
    assert.match(await refused(`  f:\n    from-deps: {}\n    description: x\n`, []), /from-deps: from_deps: there are no kinds to take tasks from/);
  });

  test('an unknown group-by, a group-by without its argument, an argument to one that takes none, a wrong argument', async () => {
    assert.match(await refused(`  f:\n    from-deps: {group-by: platform}\n    description: x\n`), /from-deps\.group-by: from_deps: group-by "platform" is not a known function \(expected one of: all, attribute, single/);
    assert.match(await refused(`  f:\n    from-deps: {group-by: attribute}\n    description: x\n`), /from-deps\.group-by: from_deps: group-by "attribute" needs an argument \(expected group-by: \{attribute: <argument>\}\)/);
    assert.match(await refused(`  f:\n    from-deps: {group-by: {all: yes}}\n    description: x\n`), /group-by "all" takes no argument/);
    assert.match(await refused(`  f:\n    from-deps: {group-by: {attribute: [platform]}}\n    description: x\n`), /the argument of group-by "attribute" must be the name of an attribute/);
  });

  test('two tasks of one kind in a group while unique-kinds is true, naming them', async () => {
    assert.match(
      await refused(`  f:\n    from-deps: {group-by: {attribute: platform}}\n    description: x\n`),
      /follow\/kind\.yml:\d+:\d+: from-deps: from_deps: a group has 2 tasks of kind build \(build-linux-opt, build-linux-debug\), and only one per kind is allowed \(set `unique-kinds: false`/,
    );
  });

  test('set-name true or an unknown set-name', async () => {
    assert.match(await refused(`  f:\n    from-deps: {set-name: true}\n    description: x\n`), /from-deps\.set-name: from_deps: set-name true does not name a function \(expected false or one of: retain-kind, strip-kind/);
    assert.match(await refused(`  f:\n    from-deps: {set-name: keep}\n    description: x\n`), /set-name "keep" is not a known function/);
  });

  test('a fetch formatted with an attribute the dependency lacks, listing the ones it has', async () => {
    assert.match(
      await refused(`  f:\n    from-deps:\n      with-attributes: {platform: mac}\n      fetches:\n        build:\n          - artifact: '{flavour}.zip'\n    description: x\n`),
      /follow\/kind\.yml:\d+:\d+: from-deps\.fetches\.build\[0\]\.artifact: from_deps: fetches from build-mac-opt: no value named "flavour" .*\(expected one of the attributes of build-mac-opt: .*build-type.*platform/,
    );
  });

  test('a section that does not follow the schema: unknown keys, wrong types', async () => {
    assert.match(await refused(`  f:\n    from-deps: {group_by: all}\n    description: x\n`), /follow\/kind\.yml:\d+:\d+: from-deps\.group_by: unknown key "group_by" \(did you mean "group-by"\?\)/);
    assert.match(await refused(`  f:\n    from-deps: {copy-attributes: 'yes please'}\n    description: x\n`), /from-deps\.copy-attributes: wrong type/);
    assert.match(await refused(`  f:\n    from-deps: {fetches: {build: [{dest: x}]}}\n    description: x\n`), /from-deps\.fetches\.build\[0\]: missing required key "artifact"/);
  });
});
