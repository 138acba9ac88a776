// Checks that need every label of the graph: a label defined twice, a
// dependency on a label no task has, and dependency cycles.
import type { Diagnostic } from '../diagnostics.js';
import { formatLocation } from '../diagnostics.js';
import type { GeneratedTask } from '../model.js';
import { findDependencyCycles } from './dependency-cycles.js';

/**
 * Every duplicate label (reported at each of its definitions, each naming the
 * others) and every dependency on a missing label (at the dependency entry, or
 * at worker.docker-image for the image dependency the payload builder added).
 * `failed` labels belong to tasks that failed earlier: depending on them is not
 * reported again.
 */
export function checkGraph(
  tasks: readonly GeneratedTask[],
  failed: ReadonlySet<string> = new Set(),
  options: { cycles?: boolean } = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byLabel = new Map<string, GeneratedTask[]>();
  for (const task of tasks) {
    const list = byLabel.get(task.label);
    if (list) list.push(task);
    else byLabel.set(task.label, [task]);
  }
  for (const [label, list] of byLabel) {
    if (list.length < 2) continue;
    const where = list.map((t) => formatLocation(t.source.locate([])));
    list.forEach((task, i) => {
      diagnostics.push({
        severity: 'error',
        message: `duplicate label "${label}": also defined at ${where.filter((_, j) => j !== i).join(', ')}`,
        location: task.source.locate([]),
        path: [],
        hint: 'give one of the tasks another name (or label)',
      });
    });
  }
  for (const task of tasks) {
    for (const [name, label] of Object.entries(task.dependencies)) {
      if (byLabel.has(label) || failed.has(label)) continue;
      const explicit = task.source.locate(['dependencies', name]) !== undefined && name !== 'docker-image';
      const path = name === 'docker-image' ? ['worker', 'docker-image', 'in-tree'] : explicit ? ['dependencies', name] : ['dependencies'];
      diagnostics.push({
        severity: 'error',
        message:
          name === 'docker-image'
            ? `task ${task.label} runs in in-tree image ${label.replace(/^docker-image-/, '')}, but no task ${label} builds it`
            : `task ${task.label} depends on "${label}", which no task has as its label`,
        location: task.source.locate(path),
        path,
        hint:
          name === 'docker-image'
            ? 'add the image to the docker-image kind and list docker-image under kind-dependencies'
            : 'check the label, and that its kind is listed under kind-dependencies',
      });
    }
  }
  if (options.cycles !== false) diagnostics.push(...cycleDiagnostics(tasks, byLabel));
  return diagnostics;
}

/** Each cycle once, at the dependency entry of its first task that starts it. */
function cycleDiagnostics(tasks: readonly GeneratedTask[], byLabel: ReadonlyMap<string, GeneratedTask[]>): Diagnostic[] {
  const dependencies = new Map(tasks.map((t) => [t.label, Object.values(t.dependencies)] as const));
  return findDependencyCycles(dependencies).map((cycle) => {
    const task = byLabel.get(cycle[0]!)![0]!;
    const next = cycle[1] ?? cycle[0]!;
    const name = Object.entries(task.dependencies).find(([, label]) => label === next)?.[0];
    const path = name === undefined ? ['dependencies'] : ['dependencies', name];
    return {
      severity: 'error' as const,
      message:
        cycle.length === 1
          ? `dependency cycle: task ${cycle[0]} depends on itself`
          : `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`,
      location: task.source.locate(path) ?? task.source.locate([]),
      path,
      hint: 'a task cannot run before itself: remove one of these dependencies',
    };
  });
}
