// Within one task: two caches at one mount point (the worker mounts one over
// the other), and a cache inside another cache or a volume (its content ends
// up inside the outer one's, and run-task validates the two independently).
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import type { TaskFacts } from '../task-facts.js';
import { isStrictlyInside, normalizeDir } from './paths.js';

export function checkCacheMountPoints(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const facts of tasks) {
    const label = facts.task.label;
    const seen = new Map<string, (typeof facts.caches)[number]>();
    for (const cache of facts.caches) {
      const dir = normalizeDir(cache.mountPoint);
      const first = seen.get(dir);
      if (first) {
        findings.push({
          rule: RULES.cacheMountPointReused.id,
          severity: RULES.cacheMountPointReused.severity,
          message: `task ${label} mounts caches "${first.declaredName}" and "${cache.declaredName}" both at ${cache.mountPoint}`,
          location: cache.location,
          path: cache.path,
          task: label,
          hint: 'give each cache its own mount point, or drop one of them',
          related: first.location ? [{ location: first.location, message: `the other cache mounted at ${first.mountPoint}` }] : [],
          configurations: [],
        });
        continue;
      }
      seen.set(dir, cache);
    }
    for (const cache of facts.caches) {
      const outerCache = facts.caches.find((c) => isStrictlyInside(cache.mountPoint, c.mountPoint));
      const outerVolume = outerCache ? undefined : facts.volumes.find((v) => isStrictlyInside(cache.mountPoint, v));
      if (!outerCache && outerVolume === undefined) continue;
      const what = outerCache ? `cache "${outerCache.declaredName}" (mounted at ${outerCache.mountPoint})` : `volume ${outerVolume}`;
      findings.push({
        rule: RULES.cacheNested.id,
        severity: RULES.cacheNested.severity,
        message: `task ${label} mounts cache "${cache.declaredName}" at ${cache.mountPoint}, inside ${what}`,
        location: cache.location,
        path: cache.path,
        task: label,
        hint: 'mount the cache next to the other one, not inside it',
        related: outerCache?.location ? [{ location: outerCache.location, message: `the enclosing cache, mounted at ${outerCache.mountPoint}` }] : [],
        configurations: [],
      });
    }
  }
  return findings;
}
