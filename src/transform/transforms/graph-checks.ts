// Checks that need every label of the graph: a label defined twice, and a
// dependency on a label no task has.
import type { Diagnostic } from '../diagnostics.js';
import { formatLocation } from '../diagnostics.js';
import type { GeneratedTask } from '../model.js';

/**
 * Every duplicate label (reported at each of its definitions, each naming the
 * others) and every dependency on a missing label (at the dependency entry, or
 * at worker.docker-image for the image dependency the payload builder added).
 * `failed` labels belong to tasks that failed earlier: depending on them is not
 * reported again.
 */
export function checkGraph(tasks: readonly GeneratedTask[], failed: ReadonlySet<string> = new Set()): Diagnostic[] {
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
  return diagnostics;
}
