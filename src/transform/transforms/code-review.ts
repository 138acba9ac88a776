// taskgraph.transforms.code_review: a code-review task runs after every task of
// its kind-dependencies whose `code-review` attribute is true, as soft
// dependencies (added after the task's own), so that it collects their
// results when they are in the graph without pulling them in.
import type { KindTransform } from './types.js';

export const codeReviewTransform: KindTransform = (items, context) => {
  const reviewed = context
    .kindDependencyTasks()
    .filter((task) => task.attributes['code-review'] === true)
    .map((task) => task.label);
  return items.map((item) => {
    const own = Array.isArray(item.value['soft-dependencies']) ? (item.value['soft-dependencies'] as unknown[]) : [];
    return { ...item, value: { ...item.value, 'soft-dependencies': [...own, ...reviewed] } };
  });
};

