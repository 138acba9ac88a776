// taskgraph.transforms.docker_image: one image-building task per entry of the
// docker-image kind. The image's context (docker/<definition>/ plus the files
// its Dockerfile includes) is hashed so that cached_tasks can find an identical
// image built earlier.
import type { DockerImageEntry } from '../../generated/docker-image-entry.js';
import type { Diagnostic } from '../diagnostics.js';
import { validateValue } from '../validate/validate-schema.js';
import { IMAGE_ARTIFACT, dockerImageLabel } from '../payload/docker-worker.js';
import { DEFAULT_EXPIRES_AFTER } from './task.js';
import type { KindTransform, TransformItem } from './types.js';

/** The image that builds images (taskgraph's image_builder), pinned by digest. */
export const IMAGE_BUILDER_IMAGE =
  'mozillareleases/image_builder:6.2.0@sha256:f7df722770d6caadea79b2de458e072d8b3d93e59675b34dffb32c3e7e30f5b9';
export const DOCKER_IMAGES_CACHE_TYPE = 'docker-images.v2';
/** Worker alias image tasks run on, as in taskgraph; config.yml must define it. */
export const IMAGES_WORKER_ALIAS = 'images';

/** JSON with sorted keys: the digest must not depend on the order args are written in. */
function sortedJson(value: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

export const dockerImageTransform: KindTransform = (items, context) => {
  const { graph, images } = context;
  const { params, config } = graph;
  const out: TransformItem[] = [];
  const level = String(params.level);
  for (const item of items) {
    const problems: Diagnostic[] = validateValue('docker-image-entry', item.value, item.source);
    const named = typeof item.value.name === 'string' ? item.value.name : item.name;
    if (problems.length) {
      context.diagnostics.push(...problems);
      context.failed?.add(dockerImageLabel(named));
      continue;
    }
    const entry = item.value as DockerImageEntry;
    const imageName = entry.name ?? item.name;
    const definition = entry.definition ?? imageName;
    const args: Record<string, string> = { ...entry.args };
    const { parent, symbol } = entry;

    if (!images.hasDockerfile(definition)) {
      const at = entry.definition !== undefined ? ['definition'] : [];
      context.diagnostics.push({
        severity: 'error',
        message: `docker image "${imageName}" has no Dockerfile: ${images.dockerfilePath(definition)} does not exist`,
        location: item.source.locate(at),
        path: at,
        hint: `create docker/${definition}/Dockerfile under the taskgraph root, or set \`definition\` to an existing directory under docker/`,
      });
      context.failed?.add(dockerImageLabel(imageName));
      continue;
    }
    images.define(imageName, definition, args, item.source.locate([]));
    const imageContext = images.contextOf(imageName);
    if ('problem' in imageContext) {
      const { message, at, expected } = imageContext.problem;
      context.diagnostics.push({
        severity: 'error',
        message: `docker image "${imageName}": ${message}`,
        location: at ?? item.source.locate([]),
        ...(expected ? { expected } : {}),
      });
      context.failed?.add(dockerImageLabel(imageName));
      continue;
    }
    const contextHash = imageContext.digest;

    const description: Record<string, unknown> = {
      label: dockerImageLabel(imageName),
      description: `Build the docker image ${imageName} for use by dependent tasks`,
      attributes: { image_name: imageName, artifact_prefix: 'public' },
      'always-target': true,
      // Images built by untrusted pushes should not outlive the usual task lifetime.
      'expires-after': level === '1' ? String(config['task-expires-after'] ?? DEFAULT_EXPIRES_AFTER) : '1 year',
      scopes: [],
      'run-on-projects': [],
      'worker-type': IMAGES_WORKER_ALIAS,
      // The implementation is named here, not looked up from the alias, so (as in taskgraph) the task gets no os/implementation tags.
      worker: {
        implementation: 'docker-worker',
        os: 'linux',
        'docker-image': IMAGE_BUILDER_IMAGE,
        artifacts: [{ type: 'file', path: '/workspace/out/image.tar.zst', name: IMAGE_ARTIFACT }],
        env: {
          CONTEXT_TASK_ID: { 'task-reference': '<decision>' },
          CONTEXT_PATH: `public/docker-contexts/${imageName}.tar.gz`,
          HASH: contextHash,
          PROJECT: String(params.project),
          IMAGE_NAME: imageName,
          // Faster compression where end-to-end time matters (untrusted pushes), smaller images elsewhere.
          DOCKER_IMAGE_ZSTD_LEVEL: level === '1' ? '3' : '10',
          DOCKER_BUILD_ARGS: { 'task-reference': JSON.stringify({ ...args, DOCKER_IMAGE_PACKAGES: '' }) },
          VCS_BASE_REPOSITORY: String(params.base_repository),
          VCS_HEAD_REPOSITORY: String(params.head_repository),
          VCS_HEAD_REV: String(params.head_rev),
          VCS_REPOSITORY_TYPE: String(params.repository_type),
        },
        'chain-of-trust': true,
        'max-run-time': 7200,
      },
    };
    if (symbol) description.treeherder = { symbol, platform: 'taskcluster-images/opt', kind: 'other', tier: 1 };
    if (entry.index !== undefined) description.index = entry.index;
    if (parent) {
      description.dependencies = { parent: dockerImageLabel(parent) };
      ((description.worker as Record<string, unknown>).env as Record<string, unknown>).PARENT_TASK_ID = {
        'task-reference': '<parent>',
      };
    }
    const result: TransformItem = { kind: item.kind, name: item.name, value: description, source: item.source };
    if (entry.cache !== false) {
      result.cache = {
        type: DOCKER_IMAGES_CACHE_TYPE,
        name: imageName,
        digestData: [contextHash, sortedJson(args), `image-builder-image:${IMAGE_BUILDER_IMAGE}`],
      };
    }
    out.push(result);
  }
  return out;
};
