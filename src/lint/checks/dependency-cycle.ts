// Tasks that depend on each other in a circle can never be scheduled. The
// pipeline checks that every dependency exists; lint finds the cycles and
// names each one (a → b → a), once, at the task that comes first by label.
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import type { TaskFacts } from '../task-facts.js';

export function checkDependencyCycles(tasks: readonly TaskFacts[]): Finding[] {
  const byLabel = new Map(tasks.map((f) => [f.task.label, f] as const));
  const edges = (label: string): string[] =>
    Object.values(byLabel.get(label)?.task.dependencies ?? {}).filter((l) => byLabel.has(l)).sort();
  const findings: Finding[] = [];
  // Iterative DFS with colours; a grey target closes a cycle along the stack.
  const state = new Map<string, 'grey' | 'black'>();
  const reported = new Set<string>();
  for (const start of [...byLabel.keys()].sort()) {
    if (state.has(start)) continue;
    const stack: { label: string; next: string[] }[] = [{ label: start, next: edges(start) }];
    state.set(start, 'grey');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const target = top.next.shift();
      if (target === undefined) {
        state.set(top.label, 'black');
        stack.pop();
        continue;
      }
      const s = state.get(target);
      if (s === 'black') continue;
      if (s === 'grey') {
        const from = stack.findIndex((e) => e.label === target);
        const cycle = stack.slice(from).map((e) => e.label);
        const key = [...cycle].sort().join('\u0000');
        if (!reported.has(key)) {
          reported.add(key);
          findings.push(cycleFinding(cycle, byLabel));
        }
        continue;
      }
      state.set(target, 'grey');
      stack.push({ label: target, next: edges(target) });
    }
  }
  return findings;
}

function cycleFinding(cycle: string[], byLabel: ReadonlyMap<string, TaskFacts>): Finding {
  // Start the name at the smallest label, so the same cycle is always named alike.
  const first = cycle.indexOf([...cycle].sort()[0]!);
  const named = [...cycle.slice(first), ...cycle.slice(0, first)];
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
