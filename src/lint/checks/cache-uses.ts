// The tasks that use each cache, by the cache's full name (the name under
// which the worker shares it), for the checks that compare tasks.
import type { CacheMount, TaskFacts } from '../task-facts.js';

export interface CacheUse {
  facts: TaskFacts;
  cache: CacheMount;
}

export function cacheUsesByName(tasks: readonly TaskFacts[]): Map<string, CacheUse[]> {
  const byName = new Map<string, CacheUse[]>();
  for (const facts of tasks) {
    for (const cache of facts.caches) {
      const list = byName.get(cache.name);
      if (list) list.push({ facts, cache });
      else byName.set(cache.name, [{ facts, cache }]);
    }
  }
  return byName;
}
