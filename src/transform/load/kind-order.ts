// Kinds are loaded (and transformed) after the kinds they depend on. Among the
// kinds that are ready, the alphabetically first goes next, so the order never
// depends on the file system. When only some kinds are loaded (one share of a
// graph generated in parallel), `existing` names every kind of the tree: a
// dependency on one that exists but is not loaded is neither an error nor
// waited for.
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedKind } from '../model.js';
import { isNear, nearestKey } from '../validate/validate-schema.js';

/** What ordering needs of a kind. */
export type OrderedKind = Pick<LoadedKind, 'name' | 'kindDependencies' | 'configSource'>;

export function orderKinds<K extends OrderedKind>(kinds: readonly K[], diagnostics: Diagnostic[], existing?: ReadonlySet<string>): K[] {
  const byName = new Map(kinds.map((k) => [k.name, k]));
  const names = [...byName.keys()];
  const known = existing ? [...existing] : names;
  for (const kind of kinds) {
    kind.kindDependencies.forEach((dependency, index) => {
      if (byName.has(dependency) || existing?.has(dependency)) return;
      const path = ['kind-dependencies', index];
      diagnostics.push({
        severity: 'error',
        message: `kind "${kind.name}" depends on kind "${dependency}", which does not exist`,
        path,
        location: kind.configSource.locate(path),
        expected: known.length ? `one of the kinds: ${[...known].sort().join(', ')}` : undefined,
        hint:
          known.length && isNear(dependency, nearestKey(dependency, known))
            ? `did you mean "${nearestKey(dependency, known)}"?`
            : `add kinds/${dependency}/kind.yml, or remove the dependency`,
      });
    });
  }
  const done = new Set<string>();
  const ordered: K[] = [];
  const pending = new Set(names);
  for (;;) {
    const ready = [...pending]
      .filter((n) => byName.get(n)!.kindDependencies.every((d) => done.has(d) || !byName.has(d)))
      .sort();
    if (ready.length === 0) break;
    const next = ready[0]!;
    pending.delete(next);
    done.add(next);
    ordered.push(byName.get(next)!);
  }
  if (pending.size > 0) {
    const cycle = findCycle([...pending].sort(), byName, pending);
    const first = byName.get(cycle[0]!)!;
    const index = first.kindDependencies.indexOf(cycle[1]!);
    const path = ['kind-dependencies', index];
    diagnostics.push({
      severity: 'error',
      message: `the kind dependencies form a cycle: ${cycle.join(' -> ')}`,
      path,
      location: first.configSource.locate(path),
      hint: 'remove one of these kind-dependencies',
    });
    for (const name of [...pending].sort()) ordered.push(byName.get(name)!);
  }
  return ordered;
}

/** A cycle among `pending` kinds, as `[a, b, ..., a]`, starting at the alphabetically first kind on it. */
function findCycle(start: string[], byName: Map<string, OrderedKind>, pending: Set<string>): string[] {
  // Every pending kind waits for another pending kind, so following those
  // dependencies from any of them must come back to a kind already visited.
  const trail: string[] = [];
  let current = start[0]!;
  while (!trail.includes(current)) {
    trail.push(current);
    current = [...byName.get(current)!.kindDependencies].sort().find((d) => pending.has(d))!;
  }
  const cycle = trail.slice(trail.indexOf(current));
  const lowest = cycle.indexOf([...cycle].sort()[0]!);
  const rotated = [...cycle.slice(lowest), ...cycle.slice(0, lowest)];
  return [...rotated, rotated[0]!];
}
