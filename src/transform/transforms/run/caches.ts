// The caches a run-task task mounts (taskgraph's support_caches): the checkout
// cache and the tool caches, each with the environment variable that points
// the tool at it. Names here are short names; the payload builders turn them
// into the protocol's full names (DESIGN.md, "The cache protocol").
import { sha256Hex } from '../../../contract.js';
import type { RunLayout } from './layout.js';
import type { RepositoryConfig } from './repositories.js';

/** Every cache run-task tasks can ask for, in the order they are added. */
export const RUN_CACHES = ['cargo', 'checkout', 'npm', 'pip', 'uv'] as const;
export type RunCacheName = (typeof RUN_CACHES)[number];

/** The variable that tells each tool where its cache is. */
export const TOOL_CACHE_ENV: Readonly<Record<Exclude<RunCacheName, 'checkout'>, string>> = {
  cargo: 'CARGO_HOME',
  npm: 'npm_config_cache',
  pip: 'PIP_CACHE_DIR',
  uv: 'UV_CACHE_DIR',
};

/** What `use-caches` means when neither the task nor config.yml says. */
export const DEFAULT_USE_CACHES: readonly RunCacheName[] = ['checkout'];

export interface RunCache {
  /** Short name (`checkouts`, `pip`, …). */
  name: string;
  /** Where it is mounted: absolute on docker-worker, relative to the task directory on generic-worker. */
  directory: string;
}

export interface CachesSetup {
  caches: RunCache[];
  env: Record<string, string>;
}

/**
 * The checkout cache's name. With several repositories configured, the
 * configured repositories' paths and prefixes are part of the name, so that
 * trees with other repository sets never share a checkout cache. taskgraph
 * joins these lines in the order of a Python set, which varies with the hash
 * seed; here they are sorted, which is one of the orders taskgraph gives (the
 * one it gives with PYTHONHASHSEED=0), so the name is the same on every run.
 */
export function checkoutCacheName(configured: readonly { path: string; prefix: string }[]): string {
  if (configured.length <= 1) return 'checkouts';
  const lines = [...new Set(configured.map((r) => `${r.path}\t${r.prefix}`))].sort();
  return `checkouts-repos-${sha256Hex(lines.join('\n'))}`;
}

/** Whether the cache `name` is mounted, given `use-caches` and whether there is a checkout. */
export function usesCache(name: RunCacheName, useCaches: boolean | readonly string[], hasCheckout: boolean): boolean {
  // The checkout cache never comes without a checkout, so `checkout` can be a
  // project-wide default without giving every checkout-less task an empty cache.
  if (name === 'checkout' && !hasCheckout) return false;
  return typeof useCaches === 'boolean' ? useCaches : useCaches.includes(name);
}

export function cachesSetup(
  useCaches: boolean | readonly string[],
  layout: RunLayout,
  checkouts: readonly RepositoryConfig[],
  configuredRepositories: readonly { path: string; prefix: string }[],
): CachesSetup {
  const caches: RunCache[] = [];
  const env: Record<string, string> = {};
  for (const name of RUN_CACHES) {
    if (!usesCache(name, useCaches, checkouts.length > 0)) continue;
    if (name === 'checkout') {
      caches.push({ name: checkoutCacheName(configuredRepositories), directory: layout.checkoutDir });
      continue;
    }
    const directory = `${layout.toolCacheDir}/${name}`;
    env[TOOL_CACHE_ENV[name]] = directory;
    caches.push({ name, directory });
  }
  return { caches, env };
}
