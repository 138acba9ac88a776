// Per-repository parameters (`tools_head_rev`, ...) give the checkout of a
// repository other than the generated-for one its `<PREFIX>_*` variables,
// with config.yml's defaults standing in for the ones not given.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatDiagnostic } from '../../../../src/transform/diagnostics.js';
import type { GeneratedTask } from '../../../../src/transform/model.js';
import { payloadCacheMap } from '../../../../src/transform/payload/docker-worker.js';
import { generate } from '../../../../src/transform/pipeline.js';
import { ALIASES, TWO_REPOS, Trees, params, runKind } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

type Payload = { command: unknown[]; env: Record<string, string>; cache?: { 'task-reference': Record<string, string> }; mounts?: { cacheName?: string }[] };

const KIND = (alias: string) =>
  runKind(`tasks:
  t:
    description: d
    worker-type: ${alias}
    worker: {${alias === 'b-linux' ? 'docker-image: a:1, ' : ''}max-run-time: 60}
    run:
      using: run-task
      checkout: {gadget: {}, tools: {path: tools}}
      command: make
`);

function tree(config: string, level: '1' | '3', extraParams: string, alias = 'b-linux'): string {
  return trees.tree({ 'config.yml': ALIASES + config, 'params.yml': params(level) + extraParams, 'kinds/k/kind.yml': KIND(alias) });
}

async function generateOne(root: string, overrides?: Record<string, string>): Promise<GeneratedTask> {
  const { tasks } = await generate({ root, paramsFile: join(root, 'params.yml'), runtimeBundlePath: trees.bundle, ...(overrides ? { overrides } : {}) });
  assert.equal(tasks.length, 1);
  return tasks[0]!;
}

/** The `<PREFIX>_*` variables of one repository in a task's payload. */
function repositoryEnv(task: GeneratedTask, prefix: string): Record<string, string> {
  const env = (task.task.payload as Payload).env;
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith(`${prefix}_`)));
}

const GIVEN = `
tools_base_repository: https://example.com/tools-base
tools_head_repository: https://example.com/tools-fork
tools_head_rev: '4444'
tools_head_ref: refs/pull/9/head
tools_repository_type: git
`;

const GADGET = {
  GADGET_BASE_REPOSITORY: 'https://example.com/gadget',
  GADGET_HEAD_REPOSITORY: 'https://example.com/gadget-head',
  GADGET_HEAD_REV: 'bbbb',
  GADGET_HEAD_REF: 'refs/heads/main',
  GADGET_REPOSITORY_TYPE: 'git',
};

for (const level of ['1', '3'] as const) {
  describe(`level ${level}`, () => {
    for (const [alias, implementation] of [['b-linux', 'docker-worker'], ['t-macos', 'generic-worker']] as const) {
      test(`${implementation}: every tools_* parameter reaches TOOLS_*, the generated-for repository keeps the unprefixed ones`, async () => {
        const task = await generateOne(tree(TWO_REPOS, level, GIVEN, alias));
        assert.equal(task.workerImplementation, implementation);
        assert.deepEqual(repositoryEnv(task, 'TOOLS'), {
          TOOLS_BASE_REPOSITORY: 'https://example.com/tools-base',
          TOOLS_HEAD_REPOSITORY: 'https://example.com/tools-fork',
          TOOLS_HEAD_REV: '4444',
          TOOLS_HEAD_REF: 'refs/pull/9/head',
          TOOLS_REPOSITORY_TYPE: 'git',
          TOOLS_SSH_SECRET_NAME: 'project/tools/key',
        });
        assert.deepEqual(repositoryEnv(task, 'GADGET'), GADGET);
        const payload = task.task.payload as Payload;
        assert.equal(payload.env.MOZ_SCM_LEVEL, level);
        // Still the two-repository checkout cache, through the cache protocol of the implementation.
        if (implementation === 'docker-worker') {
          assert.ok(Object.keys(payloadCacheMap(payload)).some((n) => n.startsWith(`gadget-level-${level}-checkouts-repos-`)));
          assert.equal(payload.env.TASKCLUSTER_UNTRUSTED_CACHES, level === '1' ? '1' : undefined);
        } else {
          assert.ok(payload.mounts?.some((m) => m.cacheName?.startsWith(`gadget-level-${level}-checkouts-repos-`)));
        }
      });
    }
  });
}

describe('fallbacks for what is not given', () => {
  const toolsEnv = async (extraParams: string, config = TWO_REPOS) => repositoryEnv(await generateOne(tree(config, '3', extraParams)), 'TOOLS');
  const DEFAULTS = {
    TOOLS_BASE_REPOSITORY: 'https://example.com/tools',
    TOOLS_HEAD_REPOSITORY: 'https://example.com/tools',
    TOOLS_HEAD_REF: 'main',
    TOOLS_REPOSITORY_TYPE: 'git',
    TOOLS_SSH_SECRET_NAME: 'project/tools/key',
  };

  test('none given: config.yml default-repository (base and head), default-ref, type, and no HEAD_REV', async () => {
    assert.deepEqual(await toolsEnv(''), DEFAULTS);
  });

  test('a revision alone is checked out from default-ref, which run-task fetches first', async () => {
    assert.deepEqual(await toolsEnv("tools_head_rev: '5555'\n"), { ...DEFAULTS, TOOLS_HEAD_REV: '5555' });
  });

  test('a revision without default-ref is the ref to fetch too (as head_ref defaults to head_rev)', async () => {
    const config = TWO_REPOS.replace('      default-ref: main\n', '');
    const { TOOLS_HEAD_REF: _ref, ...rest } = DEFAULTS;
    assert.deepEqual(await toolsEnv("tools_head_rev: '5555'\n", config), { ...rest, TOOLS_HEAD_REV: '5555', TOOLS_HEAD_REF: '5555' });
  });

  test('a ref alone replaces default-ref, still without HEAD_REV', async () => {
    assert.deepEqual(await toolsEnv('tools_head_ref: release\n'), { ...DEFAULTS, TOOLS_HEAD_REF: 'release' });
  });

  test('a head repository alone: the base stays default-repository, so a fork is fetched into the usual clone', async () => {
    assert.deepEqual(await toolsEnv('tools_head_repository: https://example.com/fork\n'), { ...DEFAULTS, TOOLS_HEAD_REPOSITORY: 'https://example.com/fork' });
  });

  test('without default-repository, the head repository parameter is the base too', async () => {
    const config = TWO_REPOS.replace('      default-repository: https://example.com/tools\n', '');
    assert.deepEqual(await toolsEnv('tools_head_repository: https://example.com/fork\n', config), {
      ...DEFAULTS,
      TOOLS_BASE_REPOSITORY: 'https://example.com/fork',
      TOOLS_HEAD_REPOSITORY: 'https://example.com/fork',
    });
  });

  test('the base repository and the type are taken as given', async () => {
    assert.deepEqual(await toolsEnv('tools_base_repository: https://example.com/mirror\ntools_repository_type: hg\n'), {
      ...DEFAULTS,
      TOOLS_BASE_REPOSITORY: 'https://example.com/mirror',
      TOOLS_REPOSITORY_TYPE: 'hg',
    });
  });

  test('parameters stand in for a config.yml that gives no defaults at all', async () => {
    const config = TWO_REPOS.replace('      default-repository: https://example.com/tools\n      default-ref: main\n      type: git\n', '');
    assert.notEqual(config, TWO_REPOS);
    assert.deepEqual(await toolsEnv("tools_head_repository: https://example.com/t\ntools_head_rev: '6666'\ntools_repository_type: git\n", config), {
      TOOLS_BASE_REPOSITORY: 'https://example.com/t',
      TOOLS_HEAD_REPOSITORY: 'https://example.com/t',
      TOOLS_HEAD_REV: '6666',
      TOOLS_HEAD_REF: '6666',
      TOOLS_REPOSITORY_TYPE: 'git',
      TOOLS_SSH_SECRET_NAME: 'project/tools/key',
    });
  });
});

test('-p tools_head_rev=… overrides the parameters file', async () => {
  const task = await generateOne(tree(TWO_REPOS, '3', "tools_head_rev: '4444'\n"), { tools_head_rev: '7777777' });
  assert.equal(repositoryEnv(task, 'TOOLS').TOOLS_HEAD_REV, '7777777');
});

describe('a repository that neither config.yml nor the parameters say how to clone', () => {
  for (const [configLine, given, parameters] of [
    ['      default-repository: https://example.com/tools\n', '', 'tools_head_repository'],
    ['      default-ref: main\n', '', 'tools_head_ref or tools_head_rev'],
    ['      type: git\n', "tools_head_rev: '1'\n", 'tools_repository_type'],
  ] as const) {
    const configKey = configLine.trim().split(':')[0]!;
    test(`no ${configKey}: the error in config.yml names the parameter${parameters.includes(' or ') ? 's' : ''} too`, async () => {
      const config = TWO_REPOS.replace(configLine, '');
      const root = tree(config, '3', given);
      const errors = await trees.errors(root);
      const inConfig = errors.find((d) => d.location?.file === join(root, 'config.yml'));
      assert.ok(inConfig, errors.map(formatDiagnostic).join('\n'));
      assert.match(inConfig.message, new RegExp(`^repository "tools" has no ${configKey}, and the parameters? ${parameters} (is|are) not given`));
      assert.deepEqual(inConfig.path, ['taskgraph', 'repositories', 'tools']);
      assert.deepEqual(inConfig.location, { file: join(root, 'config.yml'), line: 15, column: 7 });
      assert.equal(inConfig.hint, `add \`${configKey}:\` to taskgraph.repositories.tools, or give ${parameters} (in the parameters file or with -p)`);
    });
  }
});
