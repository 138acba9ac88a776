// A checkout outside every cache and volume is written into the container's
// own layer: slow, and lost with it. run-task warns about it at run time; lint
// says so before anything runs.
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import type { TaskFacts } from '../task-facts.js';
import { isWithin } from './paths.js';

export function checkCheckoutOutsideCaches(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const facts of tasks) {
    if (!facts.runTask) continue;
    const places = [...facts.caches.map((c) => c.mountPoint), ...facts.volumes];
    for (const checkout of facts.checkouts) {
      if (places.some((p) => isWithin(checkout.path, p))) continue;
      const path = facts.loaded?.value.run !== undefined ? ['run', 'checkout'] : ['worker', 'command'];
      const source = facts.loaded?.source ?? facts.task.source;
      findings.push({
        rule: RULES.checkoutOutsideCaches.id,
        severity: RULES.checkoutOutsideCaches.severity,
        message: `task ${facts.task.label} checks out ${checkout.prefix} into ${checkout.path}, which is outside every cache and volume of the task`,
        location: source.locate(path),
        path,
        task: facts.task.label,
        expected: places.length ? `a path inside one of: ${[...new Set(places)].sort().join(', ')}` : 'a path inside a cache or a volume',
        hint: 'mount a cache (e.g. checkouts) or a volume at or above the checkout path',
        related: [],
        configurations: [],
      });
    }
  }
  return findings;
}
