// The short form (`run: using: run-task`) must give exactly the task that the
// long form, written out by hand here, gives: same command line, environment,
// caches, scopes and exit-status handling, through the whole pipeline, on both
// worker implementations and at levels 1 and 3.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { packageRoot } from '../../../../src/transform/package-paths.js';
import { payloadCacheMap } from '../../../../src/transform/payload/docker-worker.js';
import { ALIASES, ONE_REPO, TWO_REPOS, Trees, params, runKind } from './helpers.js';

const trees = new Trees();
after(() => trees.cleanup());

const TRANSFORMS_LONG = ['taskgraph.transforms.task:transforms'];

/** Generates the short and the long form of one kind and checks the tasks are identical. */
async function assertSame(config: string, level: '1' | '3', short: string, long: string) {
  const files = (kind: string) => ({ 'config.yml': ALIASES + config, 'params.yml': params(level), 'kinds/k/kind.yml': kind });
  const shortTasks = await trees.generate(trees.tree(files(runKind(short))));
  const longTasks = await trees.generate(trees.tree(files(runKind(long, TRANSFORMS_LONG))));
  assert.equal(shortTasks.length, longTasks.length);
  for (const [i, task] of shortTasks.entries()) {
    assert.deepEqual(task.task, longTasks[i]!.task, `task ${task.label} differs from its long form`);
    assert.equal(task.label, longTasks[i]!.label);
  }
  return shortTasks;
}

// The checkout cache name of a tree that configures gadget and tools, derived
// by hand as taskgraph derives it: one `<path>\t<prefix>` line per configured
// repository (its path in config.yml, the VCS path itself here, whatever path a
// task checks it out at), sorted, joined with a newline.
const TWO_REPO_CACHE = `checkouts-repos-${createHash('sha256').update('\tgadget\n\ttools').digest('hex')}`;

for (const level of ['1', '3'] as const) {
  describe(`level ${level}`, () => {
    test('docker-worker, one repository: checkout, cwd, string command, tool cache, task env kept', async () => {
      const [task] = await assertSame(
        ONE_REPO,
        level,
        `
tasks:
  lint:
    description: Lint
    worker-type: b-linux
    worker:
      docker-image: python:3.12
      max-run-time: 600
      env: {OWN: '1'}
    run:
      using: run-task
      cwd: '{checkout}/src'
      use-caches: [checkout, pip]
      command: make lint
`,
        `
tasks:
  lint:
    description: Lint
    worker-type: b-linux
    worker:
      docker-image: python:3.12
      max-run-time: 600
      taskcluster-proxy: true
      env:
        OWN: '1'
        HG_STORE_PATH: /builds/worker/checkouts/hg-store
        REPOSITORIES: '{"gadget":"Gadget"}'
        VCS_PATH: /builds/worker/checkouts/vcs
        GADGET_BASE_REPOSITORY: https://example.com/gadget
        GADGET_HEAD_REPOSITORY: https://example.com/gadget-head
        GADGET_HEAD_REV: bbbb
        GADGET_HEAD_REF: refs/heads/main
        GADGET_REPOSITORY_TYPE: git
        PIP_CACHE_DIR: /builds/worker/.task-cache/pip
        MOZ_SCM_LEVEL: '${level}'
      caches:
        - {type: persistent, name: checkouts, mount-point: /builds/worker/checkouts, skip-untrusted: false}
        - {type: persistent, name: pip, mount-point: /builds/worker/.task-cache/pip, skip-untrusted: false}
      command: [/usr/local/bin/run-task, --gadget-checkout=/builds/worker/checkouts/vcs/, --task-cwd, /builds/worker/checkouts/vcs/src, --, bash, -cx, make lint]
`,
      );
      // The short form reached the cache protocol: run-task cache names, the
      // purge-and-retry status, the cache list for run-task.
      const payload = task!.task.payload as Record<string, any>;
      const names = Object.keys(payloadCacheMap(payload)).sort();
      assert.equal(names.length, 2);
      assert.match(names[0]!, new RegExp(`^gadget-level-${level}-checkouts-v3-[0-9a-f]{20}[0-9a-f]{12}$`));
      assert.deepEqual(payload.onExitStatus, { retry: [72], purgeCaches: [72] });
      assert.equal(payload.env.TASKCLUSTER_CACHES, '/builds/worker/.task-cache/pip;/builds/worker/checkouts');
      assert.equal(payload.env.TASKCLUSTER_UNTRUSTED_CACHES, level === '1' ? '1' : undefined);
      assert.deepEqual(payload.features, { taskclusterProxy: true });
    });

    test('docker-worker, two repositories: explicit checkout map, workdir, list command, root, secret scope', async () => {
      const [task] = await assertSame(
        TWO_REPOS,
        level,
        `
task-defaults:
  worker-type: b-linux
  worker: {docker-image: rust:1.83, max-run-time: 3600}
  run:
    using: run-task
    checkout:
      gadget: {}
      tools: {path: tools}
tasks:
  build:
    description: Build
    scopes: [queue:route:x]
    run:
      workdir: /home/b
      use-caches: [cargo, checkout]
      run-as-root: true
      cwd: '{checkout}/tools/'
      command: [cargo, build]
`,
        `
tasks:
  build:
    description: Build
    worker-type: b-linux
    scopes: [queue:route:x, secrets:get:project/tools/key]
    worker:
      docker-image: rust:1.83
      max-run-time: 3600
      taskcluster-proxy: true
      env:
        HG_STORE_PATH: /home/b/checkouts/hg-store
        REPOSITORIES: '{"gadget":"Gadget","tools":"Gadget tools"}'
        VCS_PATH: /home/b/checkouts/vcs
        GADGET_BASE_REPOSITORY: https://example.com/gadget
        GADGET_HEAD_REPOSITORY: https://example.com/gadget-head
        GADGET_HEAD_REV: bbbb
        GADGET_HEAD_REF: refs/heads/main
        GADGET_REPOSITORY_TYPE: git
        TOOLS_BASE_REPOSITORY: https://example.com/tools
        TOOLS_HEAD_REPOSITORY: https://example.com/tools
        TOOLS_HEAD_REF: main
        TOOLS_REPOSITORY_TYPE: git
        TOOLS_SSH_SECRET_NAME: project/tools/key
        CARGO_HOME: /home/b/.task-cache/cargo
        MOZ_SCM_LEVEL: '${level}'
      caches:
        - {type: persistent, name: cargo, mount-point: /home/b/.task-cache/cargo, skip-untrusted: false}
        - {type: persistent, name: ${TWO_REPO_CACHE}, mount-point: /home/b/checkouts, skip-untrusted: false}
      command:
        - /usr/local/bin/run-task
        - --gadget-checkout=/home/b/checkouts/vcs/
        - --tools-checkout=/home/b/checkouts/vcs/tools
        - --task-cwd
        - /home/b/checkouts/vcs/tools
        - --user
        - root
        - --group
        - root
        - --
        - cargo
        - build
`,
      );
      assert.ok(task!.task.scopes instanceof Array && (task!.task.scopes as string[]).includes('secrets:get:project/tools/key'));
    });

    test('generic-worker, two repositories: chmod + run-task, cache mounts, the run-task file mount', async () => {
      const [task] = await assertSame(
        TWO_REPOS,
        level,
        `
tasks:
  unit:
    description: Unit tests
    worker-type: t-macos
    worker:
      max-run-time: 3600
      env: {MOZ_FETCHES: '[]'}
    run:
      using: run-task
      checkout: {gadget: {}, tools: {path: tools}}
      use-caches: true
      cwd: '{checkout}'
      command: make test
`,
        `
tasks:
  unit:
    description: Unit tests
    worker-type: t-macos
    scopes: [secrets:get:project/tools/key]
    worker:
      max-run-time: 3600
      env:
        MOZ_FETCHES: '[]'
        HG_STORE_PATH: checkouts/hg-shared
        REPOSITORIES: '{"gadget":"Gadget","tools":"Gadget tools"}'
        VCS_PATH: checkouts/vcs
        GADGET_BASE_REPOSITORY: https://example.com/gadget
        GADGET_HEAD_REPOSITORY: https://example.com/gadget-head
        GADGET_HEAD_REV: bbbb
        GADGET_HEAD_REF: refs/heads/main
        GADGET_REPOSITORY_TYPE: git
        TOOLS_BASE_REPOSITORY: https://example.com/tools
        TOOLS_HEAD_REPOSITORY: https://example.com/tools
        TOOLS_HEAD_REF: main
        TOOLS_REPOSITORY_TYPE: git
        TOOLS_SSH_SECRET_NAME: project/tools/key
        CARGO_HOME: .task-cache/cargo
        npm_config_cache: .task-cache/npm
        PIP_CACHE_DIR: .task-cache/pip
        UV_CACHE_DIR: .task-cache/uv
        MOZ_SCM_LEVEL: '${level}'
      mounts:
        - {cache-name: cargo, directory: .task-cache/cargo}
        - {cache-name: ${TWO_REPO_CACHE}, directory: checkouts}
        - {cache-name: npm, directory: .task-cache/npm}
        - {cache-name: pip, directory: .task-cache/pip}
        - {cache-name: uv, directory: .task-cache/uv}
        - {file: ./run-task, content: {artifact: public/run-task, task-id: {task-reference: <decision>}}}
      command:
        - [chmod, +x, run-task]
        - [./run-task, --gadget-checkout=checkouts/vcs/, --tools-checkout=checkouts/vcs/tools, --task-cwd, checkouts/vcs, --, bash, -cx, make test]
`,
      );
      const payload = task!.task.payload as Record<string, any>;
      assert.ok(payload.mounts.some((m: any) => m.cacheName === `gadget-level-${level}-${TWO_REPO_CACHE}`));
      assert.ok((task!.task.scopes as string[]).includes(`generic-worker:cache:gadget-level-${level}-pip`));
    });

    test('docker-worker without a checkout: no checkout env, no proxy, a custom run-task command', async () => {
      await assertSame(
        TWO_REPOS,
        level,
        `
tasks:
  notify:
    description: Notify
    worker-type: b-linux
    worker: {docker-image: alpine:3, max-run-time: 60}
    run:
      using: run-task
      checkout: false
      run-task-command: [/opt/run-task]
      cwd: /tmp
      use-caches: [checkout, npm]
      exec-with: powershell
      command: Write-Output done
`,
        `
tasks:
  notify:
    description: Notify
    worker-type: b-linux
    worker:
      docker-image: alpine:3
      max-run-time: 60
      env:
        npm_config_cache: /builds/worker/.task-cache/npm
        MOZ_SCM_LEVEL: '${level}'
      caches:
        - {type: persistent, name: npm, mount-point: /builds/worker/.task-cache/npm, skip-untrusted: false}
      command: [/opt/run-task, --task-cwd, /tmp, --, powershell.exe, -ExecutionPolicy, Bypass, Write-Output done]
`,
      );
    });
  });
}

test('the fixture tree short-form generates at levels 1 and 3 with the repositories and per-repository parameters of both levels', async () => {
  const root = join(packageRoot, 'taskgraph-fixtures', 'short-form');
  for (const level of ['1', '3']) {
    const tasks = await trees.generateWith(root, join(root, `params-level-${level}.yml`));
    const labels = tasks.map((t) => t.label).sort();
    assert.deepEqual(labels, ['build-linux', 'docs-build', 'lint-as-root', 'lint-flake8', 'lint-typecheck', 'nocheckout-notify', 'test-fetching', 'test-unit']);
    for (const t of tasks) {
      const payload = t.task.payload as { env: Record<string, unknown>; command: unknown[]; mounts?: { file?: string }[] };
      const env = payload.env;
      assert.equal(env.MOZ_SCM_LEVEL, level, t.label);
      if (t.workerImplementation === 'docker-worker') {
        const hasCaches = Object.keys(payloadCacheMap(payload)).length > 0;
        assert.equal(env.TASKCLUSTER_UNTRUSTED_CACHES, level === '1' && hasCaches ? '1' : undefined, t.label);
        assert.equal(typeof env.TASKCLUSTER_CACHES === 'string' && env.TASKCLUSTER_CACHES.length > 0, hasCaches, t.label);
      } else {
        assert.deepEqual(payload.command[0], ['chmod', '+x', 'run-task']);
        assert.ok(payload.mounts?.some((m) => m.file === './run-task'), t.label);
      }
      const line = (t.workerImplementation === 'docker-worker' ? payload.command : payload.command[1]) as string[];
      const twoRepos = t.label === 'build-linux' || t.label.startsWith('test-');
      assert.equal(line.some((a) => a.startsWith('--tools-checkout=')), twoRepos, t.label);
      if (t.label !== 'nocheckout-notify' && t.label !== 'lint-as-root') {
        assert.equal(env.GADGET_HEAD_REV, level === '3' ? '2222222222222222222222222222222222222222' : '3333333333333333333333333333333333333333');
      }
      // gadget-tools from its tools_* parameters (the contributor's fork at
      // level 1, a pinned revision at level 3), config.yml for the rest.
      const tools = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('TOOLS_')));
      assert.deepEqual(
        tools,
        !twoRepos
          ? {}
          : level === '1'
            ? {
                TOOLS_BASE_REPOSITORY: 'https://github.com/example/gadget-tools',
                TOOLS_HEAD_REPOSITORY: 'https://github.com/contributor/gadget-tools',
                TOOLS_HEAD_REV: '4444444444444444444444444444444444444444',
                TOOLS_HEAD_REF: 'refs/heads/gadget-pr-7',
                TOOLS_REPOSITORY_TYPE: 'git',
              }
            : {
                TOOLS_BASE_REPOSITORY: 'https://github.com/example/gadget-tools',
                TOOLS_HEAD_REPOSITORY: 'https://github.com/example/gadget-tools',
                TOOLS_HEAD_REV: '5555555555555555555555555555555555555555',
                TOOLS_HEAD_REF: 'main',
                TOOLS_REPOSITORY_TYPE: 'git',
              },
        t.label,
      );
    }
    // Both worker implementations check gadget-tools out.
    const implementations = tasks.filter((t) => t.label === 'build-linux' || t.label.startsWith('test-')).map((t) => t.workerImplementation);
    assert.deepEqual([...new Set(implementations)].sort(), ['docker-worker', 'generic-worker']);
  }
});
