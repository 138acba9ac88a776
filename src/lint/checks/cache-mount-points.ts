// Within one task: two caches at one mount point (the worker mounts one over
// the other), and a cache inside another cache or a volume (its content ends
// up inside the outer one's, and run-task validates the two independently).
import { relatedAt, type Finding } from '../finding.js';
import { RULES } from '../rules.js';
import { cacheLocation, type TaskFacts } from '../task-facts.js';
import { normalizeDir } from './paths.js';

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
          location: cacheLocation(cache),
          path: cache.path,
          task: label,
          hint: 'give each cache its own mount point, or drop one of them',
          related: relatedAt(cacheLocation(first), `the other cache mounted at ${first.mountPoint}`),
          configurations: [],
        });
        continue;
      }
      seen.set(dir, cache);
    }
    // Normalised once per task: this runs for every task of large graphs.
    const dirs = facts.caches.map((c) => normalizeDir(c.mountPoint));
    const volumes = facts.volumes.map(normalizeDir);
    facts.caches.forEach((cache, i) => {
      const inside = (outer: string) => dirs[i] !== outer && dirs[i]!.startsWith(outer === '/' ? '/' : `${outer}/`);
      const outerIndex = dirs.findIndex(inside);
      const outerCache = outerIndex === -1 ? undefined : facts.caches[outerIndex];
      const outerVolume = outerCache ? undefined : volumes.find(inside);
      if (!outerCache && outerVolume === undefined) return;
      const what = outerCache ? `cache "${outerCache.declaredName}" (mounted at ${outerCache.mountPoint})` : `volume ${outerVolume}`;
      findings.push({
        rule: RULES.cacheNested.id,
        severity: RULES.cacheNested.severity,
        message: `task ${label} mounts cache "${cache.declaredName}" at ${cache.mountPoint}, inside ${what}`,
        location: cacheLocation(cache),
        path: cache.path,
        task: label,
        hint: 'mount the cache next to the other one, not inside it',
        related: outerCache ? relatedAt(cacheLocation(outerCache), `the enclosing cache, mounted at ${outerCache.mountPoint}`) : [],
        configurations: [],
      });
    });
  }
  return findings;
}
