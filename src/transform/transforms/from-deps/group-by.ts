// How from_deps splits the tasks it follows into groups, one new task per
// group. taskgraph has `single`, `all` and `attribute`; plugins add their own
// through registerGroupBy, under a name kind.yml then uses as `group-by`.
import type { GeneratedTask } from '../../model.js';
import type { TransformContext } from '../types.js';

export interface GroupBy {
  /** Splits `tasks` (in the order of the graph) into groups, in the order the new tasks are made. */
  group(context: TransformContext, tasks: readonly GeneratedTask[], argument: unknown): GeneratedTask[][];
  /**
   * Present when the function takes an argument (`group-by: {<name>: <argument>}`):
   * what is wrong with `argument`, or undefined when it is fine.
   */
  checkArgument?(argument: unknown): string | undefined;
}

const registry = new Map<string, GroupBy>();

export function registerGroupBy(name: string, groupBy: GroupBy): void {
  if (registry.has(name)) throw new Error(`a from_deps group-by function named "${name}" is already registered`);
  registry.set(name, groupBy);
}

export function lookupGroupBy(name: string): GroupBy | undefined {
  return registry.get(name);
}

export function groupByNames(): string[] {
  return [...registry.keys()].sort();
}

/** Python's truth value of an attribute: taskgraph leaves out tasks whose attribute is falsy. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

registerGroupBy('single', { group: (_context, tasks) => tasks.map((task) => [task]) });

registerGroupBy('all', { group: (_context, tasks) => [[...tasks]] });

registerGroupBy('attribute', {
  checkArgument: (argument) => (typeof argument === 'string' ? undefined : 'the argument of group-by "attribute" must be the name of an attribute'),
  group: (_context, tasks, attribute) => {
    const groups = new Map<string, GeneratedTask[]>();
    for (const task of tasks) {
      const value = task.attributes[attribute as string];
      if (!truthy(value)) continue;
      const key = JSON.stringify(value);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(task);
    }
    return [...groups.values()];
  },
});
