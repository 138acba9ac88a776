// taskgraph.transforms.task_context: a task with a `task-context` section gets
// values known only at generation time (parameters, a file, an object given in
// the section) resolved as keyed-by attributes and substituted as `{name}`
// into each of its substitution fields, in that order.
//
//   the context, from its sources        context-values.ts
//   → keyed-by at each listed field      keyed-by-at.ts
//   → substitution into each field       ../substitute/
import type { TaskContext } from '../../../generated/task-context.js';
import { validateValue } from '../../validate/validate-schema.js';
import { fieldContainer, substituteFields } from '../substitute/substitute-fields.js';
import { itemOf, substitutionDiagnostic, taskOf } from '../substitute/task-view.js';
import type { KindTransform, TransformItem } from '../types.js';
import { contextValues } from './context-values.js';
import { evaluateKeyedBy, KeyedByChoices } from './keyed-by-at.js';

const FIELDS_AT = ['task-context', 'substitution-fields'];

export const taskContextTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of items) {
    if (item.value['task-context'] === undefined) {
      out.push(item);
      continue;
    }
    if (item.value['task-context'] === null) {
      const { 'task-context': _empty, ...value } = item.value;
      out.push({ ...item, value });
      continue;
    }
    const problems = validateValue('task-context', item.value['task-context'], item.source, ['task-context']);
    if (problems.length) {
      context.diagnostics.push(...problems);
      continue;
    }
    const task = taskOf(item);
    const spec = task['task-context'] as TaskContext;
    delete task['task-context'];
    const found = contextValues(spec, task, context, item.source);
    if (!found.ok) {
      context.diagnostics.push(found.diagnostic);
      continue;
    }
    const values = found.values;
    const fields = spec['substitution-fields'];
    const defer = spec['resolve-keyed-by-options']?.defer ?? [];
    const choices = new KeyedByChoices();
    let failed = false;
    for (const field of fields) {
      let target;
      try {
        target = fieldContainer(task, field);
      } catch {
        continue; // a missing field is reported by the substitution below
      }
      const { container, key, path } = target;
      if (!Object.hasOwn(container, key)) continue;
      const attributes = { ...task, ...values };
      const resolved = evaluateKeyedBy(container[key], attributes, defer, { source: choices.source(item.source), at: path, field });
      if (!resolved.ok) {
        context.diagnostics.push(resolved.diagnostic);
        failed = true;
        break;
      }
      container[key] = resolved.value;
      choices.record(path, resolved.taken);
    }
    if (failed) continue;
    const source = choices.source(item.source);
    try {
      substituteFields(task, fields, values);
    } catch (error) {
      context.diagnostics.push(substitutionDiagnostic(error, 'task_context', source, FIELDS_AT, fields));
      continue;
    }
    out.push({ ...itemOf(item, task), source });
  }
  return out;
};
