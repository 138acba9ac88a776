// taskgraph.transforms.matrix: a task with a `matrix` section is copied once
// per combination of its dimensions' values (minus the excluded ones). Each
// copy is named `<name>-<value>-<value>…` (or `set-name`), has the combination
// as its `matrix` attribute, and gets `{matrix[<dimension>]}` substituted into
// its substitution fields (every field when none are listed).
import type { Matrix } from '../../generated/matrix.js';
import { isRecord } from '../plain-data.js';
import { validateValue } from '../validate/validate-schema.js';
import { pythonStr } from './substitute/python-format.js';
import { substituteFields } from './substitute/substitute-fields.js';
import { itemOf, substitutionDiagnostic, taskOf } from './substitute/task-view.js';
import type { KindTransform, TransformItem } from './types.js';

const OPTIONS = new Set(['exclude', 'set-name', 'substitution-fields']);
/** The most copies one entry may make (before exclusions): a bound on memory and time whatever the input. */
export const MAX_COMBINATIONS = 10_000;

type Row = Record<string, unknown>;

/** Every combination of the dimensions' values, in the order taskgraph makes them, with the copy's name. */
function combinations(name: string, dimensions: [string, unknown[]][], exclude: readonly Record<string, string>[]) {
  let rows: { name: string; row: Row }[] = [{ name, row: {} }];
  for (const [dimension, values] of dimensions) {
    const next: typeof rows = [];
    for (const { name: prefix, row } of rows) {
      for (const value of values) {
        const extended = { ...row, [dimension]: value };
        // A rule excludes a combination once all the dimensions it names have its values.
        if (exclude.some((rule) => Object.entries(rule).every(([k, v]) => extended[k] === v))) continue;
        next.push({ name: `${prefix}-${pythonStr(value)}`, row: extended });
      }
    }
    rows = next;
  }
  return rows;
}

export const matrixTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of items) {
    if (item.value.matrix === undefined) {
      out.push(item);
      continue;
    }
    const problems = validateValue('matrix', item.value.matrix, item.source, ['matrix']);
    if (problems.length) {
      context.diagnostics.push(...problems);
      continue;
    }
    const task = taskOf(item);
    const { exclude = [], 'set-name': setName, 'substitution-fields': listed, ...rest } = task.matrix as Matrix;
    delete task.matrix;
    const dimensions = Object.entries(rest).filter(([key]) => !OPTIONS.has(key)) as [string, unknown[]][];
    const count = dimensions.reduce((n, [, values]) => n * values.length, 1);
    if (count > MAX_COMBINATIONS) {
      context.diagnostics.push({
        severity: 'error',
        message: `matrix: ${dimensions.map(([, v]) => v.length).join(' × ')} = ${count} combinations, more than the ${MAX_COMBINATIONS} one entry may make`,
        location: item.source.locate(['matrix']),
        path: ['matrix'],
        hint: 'split the entry into several, or use fewer values',
      });
      continue;
    }
    const fields = listed ? [...listed] : Object.keys(task);
    if (setName !== undefined && !fields.includes('name')) fields.push('name');
    for (const { name, row } of combinations(item.name, dimensions, exclude)) {
      const copy = structuredClone(task);
      copy.name = setName ?? name;
      const attributes = isRecord(copy.attributes) ? copy.attributes : (copy.attributes = {});
      const matrix = isRecord(attributes.matrix) ? attributes.matrix : (attributes.matrix = {});
      Object.assign(matrix, row);
      try {
        substituteFields(copy, fields, { matrix });
      } catch (error) {
        context.diagnostics.push(substitutionDiagnostic(error, 'matrix', item.source, ['matrix', 'substitution-fields'], fields));
        break; // the other copies would fail the same way
      }
      out.push(itemOf(item, copy));
    }
  }
  return out;
};
