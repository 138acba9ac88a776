// Tasks that depend on each other in a circle can never be scheduled. The
// pipeline checks that every dependency exists; lint finds the cycles and
// names each one (a → b → a), once, at the task that comes first by label.
import { findDependencyCycles } from '../../transform/transforms/dependency-cycles.js';
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import type { TaskFacts } from '../task-facts.js';

export function checkDependencyCycles(tasks: readonly TaskFacts[]): Finding[] {
  const byLabel = new Map(tasks.map((f) => [f.task.label, f] as const));
  const dependencies = new Map(tasks.map((f) => [f.task.label, Object.values(f.task.dependencies)] as const));
  // The same search generate refuses cycles with; each cycle starts at its smallest label.
  return findDependencyCycles(dependencies).map((cycle) => cycleFinding(cycle, byLabel));
}

function cycleFinding(named: string[], byLabel: ReadonlyMap<string, TaskFacts>): Finding {
  const at = byLabel.get(named[0]!)!;
  const dependencyPath = (from: TaskFacts, to: string): (string | number)[] => {
    const name = Object.entries(from.task.dependencies).find(([, l]) => l === to)?.[0];
    return name === undefined ? ['dependencies'] : ['dependencies', name];
  };
  const locateIn = (f: TaskFacts, path: (string | number)[]) => (f.loaded?.source ?? f.task.source).locate(path);
  const path = dependencyPath(at, named[1] ?? named[0]!);
  return {
    rule: RULES.dependencyCycle.id,
    severity: RULES.dependencyCycle.severity,
    message: `dependency cycle: ${[...named, named[0]].join(' → ')}`,
    location: locateIn(at, path),
    path,
    task: at.task.label,
    hint: 'remove one of these dependencies',
    related: named.slice(1).flatMap((label, i) => {
      const f = byLabel.get(label)!;
      const next = named[(i + 2) % named.length]!;
      const location = locateIn(f, dependencyPath(f, next));
      return location ? [{ location, message: `${label} depends on ${next}` }] : [];
    }),
    configurations: [],
  };
}
