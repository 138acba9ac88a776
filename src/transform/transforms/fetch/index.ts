// taskgraph.transforms.fetch: an entry of a fetch kind becomes a run-task task
// on the `images` worker that runs fetch-content and uploads one artifact. It
// is a cached task named by the digest of what it fetches (not of its image),
// indexed as `content.v1`, so a fetch runs once until what it fetches changes.
//
//   entry schema, then the schema of its `fetch.type`     fetch-entry.yml, fetch-<type>.yml
//   → fetch-content command, artifact name, digest data    static-url.ts, git.ts
//   → run description, attributes, index routes            (here)
import { createHash } from 'node:crypto';
import type { FetchEntry } from '../../../generated/fetch-entry.js';
import type { FetchGit } from '../../../generated/fetch-git.js';
import type { FetchStaticUrl } from '../../../generated/fetch-static-url.js';
import { isError } from '../../diagnostics.js';
import type { LoadedGraph } from '../../model.js';
import { validateValue } from '../../validate/validate-schema.js';
import { cacheIndex } from '../cached-tasks.js';
import type { KindTransform, TransformItem } from '../types.js';
import { gitCommand } from './git.js';
import { staticUrlCommand } from './static-url.js';
import type { FetchCommand } from './types.js';

export const FETCH_CACHE_TYPE = 'content.v1';
const ARTIFACTS_DIR = '/builds/worker/artifacts';

const FETCH_TYPES: Record<string, { schema: string; command: (fetch: never) => FetchCommand }> = {
  'static-url': { schema: 'fetch-static-url', command: (fetch: FetchStaticUrl) => staticUrlCommand(fetch) },
  git: { schema: 'fetch-git', command: (fetch: FetchGit) => gitCommand(fetch) },
};

/** Fetched content is kept for good at level 3; below, as long as config.yml says tasks live. */
function defaultExpiry(graph: LoadedGraph): string {
  if (String(graph.params.level) === '3') return '1000 years';
  const configured = graph.config['task-expires-after'];
  return typeof configured === 'string' ? configured : '28 days';
}

export const fetchTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of items) {
    const converted = convert(item, context);
    if (converted) out.push(converted);
    else context.failed?.add(`fetch-${item.name}`);
  }
  return out;
};

function convert(item: TransformItem, context: Parameters<KindTransform>[1]): TransformItem | undefined {
  const { graph, diagnostics } = context;
  const problems = validateValue('fetch-entry', item.value, item.source);
  if (problems.length) {
    diagnostics.push(...problems);
    return undefined;
  }
  const entry = item.value as unknown as FetchEntry;
  const type = FETCH_TYPES[entry.fetch.type];
  if (!type) {
    diagnostics.push({
      severity: 'error',
      message: `fetch type ${JSON.stringify(entry.fetch.type)} of fetch ${item.name} is not supported`,
      path: ['fetch', 'type'],
      location: item.source.locate(['fetch', 'type']),
      expected: `one of: ${Object.keys(FETCH_TYPES).join(', ')}`,
    });
    return undefined;
  }
  const fetchProblems = validateValue(type.schema, entry.fetch, item.source, ['fetch']);
  diagnostics.push(...fetchProblems);
  if (fetchProblems.some(isError)) return undefined;
  const built = type.command(entry.fetch as never);

  const label = `fetch-${item.name}`;
  const prefix = entry['artifact-prefix'] ?? 'public';
  const attributes: Record<string, unknown> = { ...(entry.attributes ?? {}), 'fetch-artifact': `${prefix}/${built.artifactName}` };
  if (entry['fetch-alias']) attributes['fetch-alias'] = entry['fetch-alias'];

  const worker: Record<string, unknown> = {
    'chain-of-trust': true,
    'docker-image': entry['docker-image'] ?? { 'in-tree': 'fetch' },
    env: { UPLOAD_DIR: ARTIFACTS_DIR },
    'max-run-time': 900,
    artifacts: [{ type: 'directory', name: prefix, path: ARTIFACTS_DIR }],
  };
  const description: Record<string, unknown> = {
    label,
    description: entry.description,
    attributes,
    'expires-after': entry['expires-after'] ?? defaultExpiry(graph),
    'run-on-projects': [],
    'worker-type': 'images',
    worker,
    run: { using: 'run-task', checkout: false, command: built.command },
  };
  if (graph.config.treeherder !== undefined) {
    description.treeherder = { symbol: `Fetch(${item.name})`, kind: 'build', platform: 'fetch/opt', tier: 1 };
  }
  if (built.secret) {
    description.scopes = [`secrets:get:${built.secret}`];
    worker['taskcluster-proxy'] = true;
  }

  // Nothing of the task's dependencies (its image) goes into the digest: the content does not depend on them.
  const cacheName = label.startsWith(`${item.kind}-`) ? label.slice(item.kind.length + 1) : label;
  const digest = createHash('sha256').update(built.digestData.join('\n')).digest('hex');
  const { optimization, routes } = cacheIndex(graph.config, graph.params, FETCH_CACHE_TYPE, cacheName, digest);
  description.optimization = optimization;
  description.routes = routes;
  attributes.cached_task = { type: FETCH_CACHE_TYPE, name: cacheName, digest };
  context.cachedDigests.set(label, `${FETCH_CACHE_TYPE}/${cacheName}/${digest}`);
  return { ...item, value: description };
}
