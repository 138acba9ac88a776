// Across tasks: tasks that share a cache (the same full name, so the worker
// hands them the same directory) must agree on where it is mounted and on the
// user run-task runs the command as. Different users mean the requirements
// recorded by the first task (uid, gid) cannot match the second's: a certain
// `requirements mismatch` and exit 72 at run time. Not with untrusted caches
// (level 1): there run-task, running as root, gives the cache to the new user
// instead (DESIGN.md, the cache protocol).
import { relatedAt, type Finding } from '../finding.js';
import { RULES } from '../rules.js';
import { cacheLocation, type CacheMount, type TaskFacts } from '../task-facts.js';
import { cacheUsesByName, type CacheUse as Use } from './cache-uses.js';
import { normalizeDir } from './paths.js';

/** Groups uses by `key`, in order of first appearance; undefined keys are left out. */
function groupBy(uses: readonly Use[], key: (use: Use) => string | undefined): Map<string, Use[]> {
  const groups = new Map<string, Use[]>();
  for (const use of uses) {
    const k = key(use);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(use);
    else groups.set(k, [use]);
  }
  return groups;
}

/**
 * One finding per task whose group is not the first (most common) one, naming
 * one task of each other group: every task to fix is listed, and the report
 * stays linear in the number of tasks.
 */
function conflicts(
  uses: readonly Use[],
  key: (use: Use) => string | undefined,
  finding: (use: Use, value: string, others: { value: string; use: Use }[]) => Finding,
): Finding[] {
  const groups = groupBy(uses, key);
  if (groups.size < 2) return [];
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const findings: Finding[] = [];
  for (const [value, list] of ordered) {
    const others = ordered.filter(([v]) => v !== value).map(([v, l]) => ({ value: v, use: l[0]! }));
    for (const use of list) findings.push(finding(use, value, others));
  }
  return findings;
}

export function checkCacheSharing(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const uses of cacheUsesByName(tasks).values()) {
    findings.push(
      ...conflicts(
        uses,
        (u) => normalizeDir(u.cache.mountPoint),
        (use, _value, others) => ({
          rule: RULES.cacheMountPointsDiffer.id,
          severity: RULES.cacheMountPointsDiffer.severity,
          message:
            `task ${use.facts.task.label} mounts cache "${use.cache.declaredName}" at ${use.cache.mountPoint}, but ` +
            others.map((o) => `task ${o.use.facts.task.label} mounts it at ${o.use.cache.mountPoint}`).join(', '),
          location: cacheLocation(use.cache),
          path: use.cache.path,
          task: use.facts.task.label,
          hint: 'mount a shared cache at the same path in every task (paths recorded inside it would point elsewhere), or give the caches different names',
          related: others.flatMap((o) =>
            relatedAt(cacheLocation(o.use.cache), `task ${o.use.facts.task.label} mounts it at ${o.use.cache.mountPoint}`),
          ),
          configurations: [],
        }),
      ),
    );
    findings.push(
      ...conflicts(
        uses,
        (u) => (u.facts.untrustedCaches ? undefined : u.facts.runsAs),
        (use, value, others) => ({
          rule: RULES.cacheSharedByDifferentUsers.id,
          severity: RULES.cacheSharedByDifferentUsers.severity,
          message:
            `cache "${use.cache.declaredName}" is used by task ${use.facts.task.label} running as ${value} and by ` +
            others.map((o) => `task ${o.use.facts.task.label} running as ${o.value}`).join(', ') +
            '; whichever runs second fails with a requirements mismatch (exit 72)',
          location: cacheLocation(use.cache),
          path: use.cache.path,
          task: use.facts.task.label,
          hint: 'run these tasks as the same --user/--group (run-as-root the same way), or give the cache a different name in one of them',
          related: others.flatMap((o) =>
            relatedAt(cacheLocation(o.use.cache), `task ${o.use.facts.task.label} runs as ${o.value}`),
          ),
          configurations: [],
        }),
      ),
    );
  }
  return findings;
}
