// Dependency cycles among generated tasks: a task that depends on itself, or
// tasks that depend on each other in a circle, can never be scheduled. Each
// cycle is found once and named from its smallest label, so that the same
// cycle always reads the same (a -> b -> a).

/** Each cycle as its labels in dependency order, starting at the smallest; sorted. */
export function findDependencyCycles(dependencies: ReadonlyMap<string, readonly string[]>): string[][] {
  const edges = (label: string): string[] => [...new Set(dependencies.get(label) ?? [])].filter((l) => dependencies.has(l)).sort();
  const cycles: string[][] = [];
  const state = new Map<string, 'grey' | 'black'>();
  const reported = new Set<string>();
  // Iterative depth-first search with colours (a graph of tens of thousands of
  // tasks would overflow the stack of a recursive one); a grey target closes
  // a cycle along the stack.
  for (const start of [...dependencies.keys()].sort()) {
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
      const seen = state.get(target);
      if (seen === 'black') continue;
      if (seen === 'grey') {
        const cycle = stack.slice(stack.findIndex((e) => e.label === target)).map((e) => e.label);
        const key = [...cycle].sort().join('\u0000');
        if (!reported.has(key)) {
          reported.add(key);
          const first = cycle.indexOf([...cycle].sort()[0]!);
          cycles.push([...cycle.slice(first), ...cycle.slice(0, first)]);
        }
        continue;
      }
      state.set(target, 'grey');
      stack.push({ label: target, next: edges(target) });
    }
  }
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}
