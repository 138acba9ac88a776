// taskgraph.transforms.from_deps: a task with a `from-deps` section is copied
// once per group of tasks of the kind-dependencies (each build, each platform,
// all of them), and each copy depends on its group.
//
//   the tasks followed: kinds, with-attributes          here
//   → groups                                            group-by.ts
//   → per group: dependencies, primary dependency,
//     name, copied attributes                           here, set-name.ts
//   → fetches from the dependencies                     fetches.ts
import { isDeepStrictEqual } from 'node:util';
import type { FromDeps } from '../../../generated/from-deps.js';
import type { Diagnostic } from '../../diagnostics.js';
import { isRecord } from '../../plain-data.js';
import { validateValue } from '../../validate/validate-schema.js';
import type { KindTransform, TransformContext, TransformItem } from '../types.js';
import { chooseFunction } from './choose-function.js';
import { addFetches } from './fetches.js';
import { groupByNames, lookupGroupBy } from './group-by.js';
import { lookupSetName, setNameNames } from './set-name.js';

/** taskgraph's attrmatch: every listed attribute present, equal to the value or one of the listed values. */
function attributesMatch(attributes: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(wanted)) {
    if (!Object.hasOwn(attributes, key)) return false;
    const actual = attributes[key];
    if (Array.isArray(value) ? !value.some((v) => isDeepStrictEqual(v, actual)) : !isDeepStrictEqual(value, actual)) return false;
  }
  return true;
}

export const fromDepsTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of items) {
    if (item.value['from-deps'] === undefined) {
      out.push(item);
      continue;
    }
    const problems = validateValue('from-deps', item.value['from-deps'], item.source, ['from-deps']);
    if (problems.length) {
      context.diagnostics.push(...problems);
      continue;
    }
    const made = splitByDependencies(item, context);
    if ('diagnostic' in made) context.diagnostics.push(made.diagnostic);
    else out.push(...made.items);
  }
  return out;
};

function splitByDependencies(item: TransformItem, context: TransformContext): { items: TransformItem[] } | { diagnostic: Diagnostic } {
  const { kind } = context;
  const spec = item.value['from-deps'] as FromDeps;
  const error = (at: (string | number)[], message: string, extra: Partial<Diagnostic> = {}) => ({
    diagnostic: { severity: 'error' as const, message: `from_deps: ${message}`, path: at, location: item.source.locate(at), ...extra },
  });

  const kinds = spec.kinds ?? kind.kindDependencies;
  const listed = kind.kindDependencies.length ? kind.kindDependencies.join(', ') : '(none)';
  const invalid = kinds.findIndex((k) => !kind.kindDependencies.includes(k));
  if (invalid >= 0) {
    return error(['from-deps', 'kinds', invalid], `kind "${kinds[invalid]}" is not in the kind-dependencies of kind ${kind.name}`, {
      expected: `one of the kind-dependencies: ${listed}`,
      hint: `add ${kinds[invalid]} to kind-dependencies in ${kind.file}`,
    });
  }
  if (kinds.length === 0) {
    return error(['from-deps'], `there are no kinds to take tasks from`, {
      hint: spec.kinds ? 'list at least one kind in from-deps.kinds' : `list the kinds in kind-dependencies of ${kind.file}`,
    });
  }

  const wanted = spec['with-attributes'];
  const followed = context.kindDependencyTasks().filter((t) => kinds.includes(t.kind) && (!wanted || attributesMatch(t.attributes, wanted)));

  const groupBy = chooseFunction('group-by', spec['group-by'] ?? 'single', lookupGroupBy, groupByNames, item.source, ['from-deps', 'group-by']);
  if (!groupBy.ok) return { diagnostic: groupBy.diagnostic };
  // A set-name written as null keeps the task's name, as in taskgraph (a present null replaces the default).
  const setNameSpec = spec['set-name'] === undefined ? 'strip-kind' : spec['set-name'];
  if (setNameSpec === true) {
    return error(['from-deps', 'set-name'], 'set-name true does not name a function', { expected: `false or one of: ${setNameNames().join(', ')}` });
  }
  const setName = setNameSpec === false || setNameSpec === null ? undefined : chooseFunction('set-name', setNameSpec, lookupSetName, setNameNames, item.source, ['from-deps', 'set-name']);
  if (setName && !setName.ok) return { diagnostic: setName.diagnostic };

  // null is false here too: taskgraph reads the key's value, and None is falsy.
  const uniqueKinds = spec['unique-kinds'] === undefined ? true : spec['unique-kinds'] === true;
  const groups = groupBy.fn.group(context, followed, groupBy.argument);
  const items: TransformItem[] = [];
  for (const group of groups) {
    const groupKinds = new Set(group.map((t) => t.kind));
    if (uniqueKinds && groupKinds.size < group.length) {
      const repeated = [...groupKinds].find((k) => group.filter((t) => t.kind === k).length > 1)!;
      const labels = group.filter((t) => t.kind === repeated).map((t) => t.label);
      return error(['from-deps'], `a group has ${labels.length} tasks of kind ${repeated} (${labels.join(', ')}), and only one per kind is allowed`, {
        hint: 'set `unique-kinds: false` to allow several (the dependencies are then named by label), or narrow the tasks with with-attributes or group-by',
      });
    }
    const primaryKind = kinds.find((k) => groupKinds.has(k));
    if (primaryKind === undefined) {
      return error(['from-deps', 'group-by'], 'a group of the group-by function is empty: there is no primary dependency to derive the task from');
    }
    const primary = group.find((t) => t.kind === primaryKind)!;

    const task = structuredClone(item.value);
    delete task['from-deps'];
    const dependencies = isRecord(task.dependencies) ? task.dependencies : (task.dependencies = {});
    for (const dependency of group) dependencies[uniqueKinds ? dependency.kind : dependency.label] = dependency.label;
    let attributes = isRecord(task.attributes) ? task.attributes : {};
    attributes['primary-kind-dependency'] = primaryKind;
    attributes['primary-dependency-label'] = primary.label;
    if (spec['copy-attributes']) attributes = { ...structuredClone(primary.attributes), ...attributes };
    task.attributes = attributes;
    const name = setName ? setName.fn.name(context, followed, primary, primaryKind, setName.argument) : item.name;

    if (spec.fetches && Object.keys(spec.fetches).length) {
      // Every dependency the task has that is a task of a kind-dependency, its own included.
      const labels = new Set(Object.values(dependencies));
      const fetched = context.kindDependencyTasks().filter((t) => labels.has(t.label));
      const problem = addFetches(task, spec.fetches, fetched, uniqueKinds, item.source);
      if (problem) return { diagnostic: problem };
    }
    items.push({ ...item, name, value: task });
  }
  return { items };
}
