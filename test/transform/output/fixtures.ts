// Generated tasks for the output tests, in the shape the pipeline hands over:
// references unresolved, `task.dependencies` absent.
import type { Location } from '../../../src/transform/diagnostics.js';
import type { GeneratedTask, SourceMap } from '../../../src/transform/model.js';

export function sourceAt(file: string, line: number): SourceMap {
  return { locate: (): Location => ({ file, line, column: 3 }) };
}

function baseDefinition(label: string, payload: Record<string, unknown>): Record<string, unknown> {
  return {
    provisionerId: 'proj-3',
    workerType: 'linux',
    schedulerId: 'proj-level-3',
    taskGroupId: { 'task-reference': '<decision>' },
    routes: [`index.proj.v2.${label}`],
    priority: 'low',
    retries: 5,
    created: '2026-11-27T12:00:00.000Z',
    deadline: '2026-11-28T12:00:00.000Z',
    expires: '2027-11-27T12:00:00.000Z',
    scopes: [],
    payload,
    metadata: {
      name: label,
      description: `the ${label} task`,
      owner: 'someone@example.com',
      source: 'https://example.com/repo/raw/abc/taskcluster/kinds',
    },
    tags: { kind: label.split('-')[0]!, label },
    extra: { treeherder: { symbol: 'B' } },
  };
}

export function imageTask(name: string): GeneratedTask {
  const label = `docker-image-${name}`;
  return {
    kind: 'docker-image',
    label,
    attributes: { image_name: name },
    dependencies: {},
    optimization: null,
    task: baseDefinition(label, {
      image: 'mozillareleases/image_builder:6.2.0',
      maxRunTime: 7200,
      env: { IMAGE_NAME: name },
      artifacts: { 'public/image.tar.zst': { type: 'file', path: '/workspace/out/image.tar.zst', expires: '2027-11-27T12:00:00.000Z' } },
      command: [],
      features: { chainOfTrust: true },
    }),
    workerImplementation: 'docker-worker',
    source: sourceAt('kinds/docker-image/kind.yml', 4),
    warnings: [],
  };
}

/** A docker-worker task on an in-tree image, with a cache named after the image task. */
export function buildTask(name = 'linux', image = 'base'): GeneratedTask {
  const label = `build-${name}`;
  const cacheName = `proj-level-3-checkouts-v3-0123456789abcdef0123-<docker-image>`;
  const task = baseDefinition(label, {
    image: { path: 'public/image.tar.zst', taskId: { 'task-reference': '<docker-image>' }, type: 'task-image' },
    maxRunTime: 3600,
    command: ['/usr/local/bin/run-task', '--', 'bash', '-c', 'make'],
    // The docker-worker builder wraps the whole map in a task reference, as taskgraph does.
    cache: { 'task-reference': { [cacheName]: '/builds/worker/checkouts' } },
    env: {
      TASKCLUSTER_CACHES: '/builds/worker/checkouts',
      MOZ_FETCHES: { 'artifact-reference': '<toolchain/public/build/clang.tar.zst>' },
      SELF_ID: { 'task-reference': 'I am <self> in <decision>' },
    },
    onExitStatus: { retry: [72], purgeCaches: [72] },
    artifacts: { 'public/build': { type: 'directory', path: '/builds/worker/artifacts' } },
  });
  task.scopes = [{ 'task-reference': `docker-worker:cache:${cacheName}` }, 'secrets:get:project/build'];
  return {
    kind: 'build',
    label,
    attributes: { kind: 'build', run_on_projects: [] },
    dependencies: { 'docker-image': `docker-image-${image}`, toolchain: 'toolchain-clang' },
    optimization: null,
    task,
    workerImplementation: 'docker-worker',
    workerOs: 'linux',
    description: `Build ${name}`,
    softDependencies: ['lint-flake8'],
    ifDependencies: [`docker-image-${image}`],
    source: sourceAt('kinds/build/kind.yml', 12),
    warnings: [],
  };
}

export function genericTask(): GeneratedTask {
  const label = 'toolchain-clang';
  const task = baseDefinition(label, {
    command: [['bash', '-c', 'build-clang']],
    maxRunTime: 3600,
    mounts: [
      { cacheName: 'proj-level-3-checkouts', directory: 'checkouts' },
      { file: 'fetch.py', content: { url: 'https://example.com/fetch.py' } },
      {
        directory: 'image',
        content: { taskId: { 'task-reference': '<docker-image>' }, artifact: 'public/image.tar.zst' },
        format: 'tar.zst',
      },
    ],
    env: { MOZ_BUILD: '1' },
    artifacts: [{ type: 'directory', path: 'artifacts', name: 'public/build' }],
    onExitStatus: { retry: [72] },
    features: { taskclusterProxy: true },
  });
  delete task.provisionerId;
  delete task.workerType;
  task.taskQueueId = 'proj-3/b-linux';
  task.scopes = ['generic-worker:cache:proj-level-3-checkouts'];
  return {
    kind: 'toolchain',
    label,
    attributes: { kind: 'toolchain' },
    dependencies: { 'docker-image': 'docker-image-base' },
    optimization: { 'index-search': ['proj.cache.toolchain.clang'] },
    task,
    workerImplementation: 'generic-worker',
    source: sourceAt('kinds/toolchain/kind.yml', 7),
    warnings: [],
  };
}

export function graph(): GeneratedTask[] {
  return [imageTask('base'), genericTask(), buildTask('linux'), buildTask('macos')];
}

/** A deep copy, so that a test can break one task without touching the others. */
export function clone(task: GeneratedTask): GeneratedTask {
  return { ...task, task: structuredClone(task.task), dependencies: { ...task.dependencies } };
}
