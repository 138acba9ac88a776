// A worker mounts a cache only for a task that holds the cache's scope
// (`docker-worker:cache:<name>`, `generic-worker:cache:<cacheName>`): a cache
// without its scope makes the task fail before it starts. A cache scope for a
// cache the task does not mount grants what nothing uses, and usually means a
// cache was renamed in one place only.
import { dockerWorkerCacheScope, genericWorkerCacheScope } from '../../contract.js';
import type { YamlPath } from '../../transform/diagnostics.js';
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import { cacheLocation, type TaskFacts } from '../task-facts.js';

const CACHE_SCOPE_PREFIX: Readonly<Record<string, string>> = {
  'docker-worker': dockerWorkerCacheScope(''),
  'generic-worker': genericWorkerCacheScope(''),
};

/** Taskcluster's scope satisfaction: equal, or a `*` at the end of the held scope matching the rest. */
function satisfies(held: string, needed: string): boolean {
  return held === needed || (held.endsWith('*') && needed.startsWith(held.slice(0, -1)));
}

/** Where a scope is written in the task's YAML, when it is written there. */
function scopePath(facts: TaskFacts, scope: string): YamlPath {
  const written = facts.loaded?.value.scopes;
  if (!facts.loaded) return ['scopes'];
  const index = Array.isArray(written) ? written.indexOf(scope) : -1;
  return index === -1 ? (Array.isArray(written) ? ['scopes'] : []) : ['scopes', index];
}

export function checkCacheScopes(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const facts of tasks) {
    const prefix = CACHE_SCOPE_PREFIX[facts.task.workerImplementation];
    if (prefix === undefined) continue;
    const label = facts.task.label;
    for (const cache of facts.caches) {
      const needed = `${prefix}${cache.name}`;
      if (facts.scopes.some((held) => satisfies(held, needed))) continue;
      findings.push({
        rule: RULES.cacheScopeMissing.id,
        severity: RULES.cacheScopeMissing.severity,
        message: `task ${label} mounts cache "${cache.declaredName}" at ${cache.mountPoint} but does not have the scope ${needed}, so the worker refuses the task`,
        location: cacheLocation(cache),
        path: cache.path,
        task: label,
        expected: `the scope ${needed} in the task's scopes`,
        hint: 'add the scope, or drop the cache',
        related: [],
        configurations: [],
      });
    }
    const mounted = new Set(facts.caches.map((c) => c.name));
    for (const scope of facts.scopes) {
      if (!scope.startsWith(prefix) || scope.endsWith('*')) continue;
      const name = scope.slice(prefix.length);
      if (mounted.has(name)) continue;
      const path = scopePath(facts, scope);
      const source = facts.loaded?.source ?? facts.task.source;
      findings.push({
        rule: RULES.cacheScopeUnused.id,
        severity: RULES.cacheScopeUnused.severity,
        message: `task ${label} has the scope ${scope}, but mounts no cache named ${name}`,
        location: source.locate(path),
        path,
        task: label,
        expected: facts.caches.length
          ? `only scopes for its own caches (${[...new Set(facts.caches.map((c) => `"${c.declaredName}"`))].sort().join(', ')})`
          : 'no cache scopes: the task mounts no caches',
        hint: 'remove the scope, or mount the cache it was meant for (was the cache renamed?)',
        related: [],
        configurations: [],
      });
    }
  }
  return findings;
}
