// taskgraph.transforms.cached_tasks: a cacheable task is named by the digest of
// its inputs and of its dependencies' digests. It is indexed under that digest,
// and optimized away when a task with the same digest was indexed before.
import { createHash } from 'node:crypto';
import type { Parameters, GraphConfig } from '../model.js';
import { buildDateLong } from './index-routes.js';
import type { KindTransform, TransformItem } from './types.js';
import { isRecord } from '../plain-data.js';

function dependencyLabels(item: TransformItem): string[] {
  return isRecord(item.value.dependencies) ? Object.values(item.value.dependencies).map(String) : [];
}

/** Parents first: a task depending on another task of the same kind comes after it. */
function parentsFirst(items: TransformItem[]): { ordered: TransformItem[]; cyclic: TransformItem[] } {
  const byLabel = new Map(items.map((i) => [String(i.value.label), i]));
  const ordered: TransformItem[] = [];
  const state = new Map<TransformItem, 'visiting' | 'done'>();
  const cyclic: TransformItem[] = [];
  const visit = (item: TransformItem): void => {
    const s = state.get(item);
    if (s === 'done') return;
    if (s === 'visiting') {
      cyclic.push(item);
      return;
    }
    state.set(item, 'visiting');
    for (const label of dependencyLabels(item)) {
      const dep = byLabel.get(label);
      if (dep) visit(dep);
    }
    state.set(item, 'done');
    ordered.push(item);
  };
  for (const item of items) visit(item);
  return { ordered, cyclic };
}

/** The index namespace prefix of cached tasks: config `taskgraph.cached-task-prefix`, else the trust domain. */
function cachePrefix(config: GraphConfig): string {
  const prefix = config.taskgraph?.['cached-task-prefix'];
  return typeof prefix === 'string' ? prefix : config['trust-domain'];
}

/**
 * Index routes and the index-search optimization for a cached task with
 * `digest`. Pull requests (when config.yml leaves `cache-pull-requests` on)
 * look in the `pr` namespace too, and index only there, so that nothing a pull
 * request built is ever taken for a build of a level.
 */
export function cacheIndex(config: GraphConfig, params: Parameters, type: string, name: string, digest: string) {
  const base = (level: string | number) => `${cachePrefix(config)}.cache.level-${level}.${type}.${name}`;
  const prBase = `${cachePrefix(config)}.cache.pr.${type}.${name}`;
  const level = Number(params.level);
  const pullRequest = String(params.tasks_for).startsWith('github-pull-request');
  const cachePullRequests = config.taskgraph?.['cache-pull-requests'] !== false;
  const search: string[] = [];
  // Highest level first: a trusted build is preferred over one of this level.
  for (let l = 3; l >= level; l--) search.push(`${base(l)}.hash.${digest}`);
  if (pullRequest && cachePullRequests) search.push(`${prBase}.hash.${digest}`);
  let routes: string[];
  if (pullRequest) routes = cachePullRequests ? [`index.${prBase}.hash.${digest}`] : [];
  else {
    routes = [
      `index.${base(params.level)}.hash.${digest}`,
      `index.${base(params.level)}.latest`,
      `index.${base(params.level)}.pushdate.${buildDateLong(params.build_date)}`,
    ];
  }
  return { optimization: { 'index-search': search }, routes };
}

export const cachedTasksTransform: KindTransform = (items, context) => {
  const { graph, cachedDigests } = context;
  const { ordered, cyclic } = parentsFirst(items);
  for (const item of cyclic) {
    context.diagnostics.push({
      severity: 'error',
      message: `task ${String(item.value.label)} is part of a dependency cycle inside kind ${item.kind}`,
      location: item.source.locate([]),
      path: [],
    });
  }
  const out: TransformItem[] = [];
  for (const item of ordered) {
    const cache = item.cache;
    if (!cache) {
      out.push(item);
      continue;
    }
    const dependencyDigests: string[] = [];
    let missing = false;
    for (const [name, label] of Object.entries(isRecord(item.value.dependencies) ? item.value.dependencies : {})) {
      const digest = cachedDigests.get(String(label));
      if (digest !== undefined) {
        dependencyDigests.push(digest);
        continue;
      }
      missing = true;
      const at = name === 'parent' && item.source.locate(['parent']) ? ['parent'] : [];
      if (context.failed?.has(String(label))) {
        // Its own error is reported where it is; this one only follows from it.
        context.diagnostics.push({
          severity: 'warning',
          message: `${String(item.value.label)} was skipped because ${String(label)}, which it is built on, failed (see its error)`,
          location: item.source.locate(at),
          path: at,
        });
        context.failed.add(String(item.value.label));
        continue;
      }
      context.diagnostics.push({
        severity: 'error',
        message: `cached task ${String(item.value.label)} depends on ${String(label)}, which is not a cached task of this graph`,
        location: item.source.locate(at),
        path: at,
        hint: name === 'parent' ? 'the parent must be another entry of the docker-image kind' : undefined,
      });
    }
    if (missing) continue;
    const digestData = [...cache.digestData, ...dependencyDigests.sort()];
    const worker = isRecord(item.value.worker) ? item.value.worker : {};
    // Chain of trust changes the artifacts, so it is part of what is cached.
    if (worker['chain-of-trust']) digestData.push(worker['chain-of-trust'] === true ? 'True' : String(worker['chain-of-trust']));
    const digest = createHash('sha256').update(digestData.join('\n')).digest('hex');
    const { optimization, routes } = cacheIndex(graph.config, graph.params, cache.type, cache.name, digest);
    const value = { ...item.value };
    value.optimization = optimization;
    value.routes = [...(Array.isArray(value.routes) ? value.routes : []), ...routes];
    value.attributes = {
      ...(isRecord(value.attributes) ? value.attributes : {}),
      cached_task: { type: cache.type, name: cache.name, digest },
    };
    cachedDigests.set(String(value.label), `${cache.type}/${cache.name}/${digest}`);
    const { cache: _consumed, ...rest } = item;
    out.push({ ...rest, value });
  }
  return out;
};
