// taskgraph.transforms.chunking: a task with a `chunk` section is copied
// `total-chunks` times. Copy n has the attributes `this_chunk: n` and
// `total_chunks`, and `{this_chunk}`/`{total_chunks}` substituted into its
// substitution fields; its label must then differ per chunk, which is up to
// the kind (a `{this_chunk}` in the label, or in the name via task_context).
import type { Chunk } from '../../generated/chunk.js';
import { isRecord } from '../plain-data.js';
import { validateValue } from '../validate/validate-schema.js';
import { substituteFields } from './substitute/substitute-fields.js';
import { itemOf, substitutionDiagnostic, taskOf } from './substitute/task-view.js';
import type { KindTransform, TransformItem } from './types.js';

export const chunkingTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of items) {
    // taskgraph treats an empty section like none.
    const chunk = item.value.chunk;
    if (chunk === undefined) {
      out.push(item);
      continue;
    }
    if (chunk === null || (isRecord(chunk) && Object.keys(chunk).length === 0)) {
      const { chunk: _empty, ...value } = item.value;
      out.push({ ...item, value });
      continue;
    }
    const problems = validateValue('chunk', item.value.chunk, item.source, ['chunk']);
    if (problems.length) {
      context.diagnostics.push(...problems);
      continue;
    }
    const task = taskOf(item);
    const { 'total-chunks': total, 'substitution-fields': fields = [] } = task.chunk as Chunk;
    delete task.chunk;
    for (let chunk = 1; chunk <= total; chunk++) {
      const copy = structuredClone(task);
      const values = { this_chunk: chunk, total_chunks: total };
      copy.attributes = { ...(isRecord(copy.attributes) ? copy.attributes : {}), ...values };
      try {
        // As taskgraph does, the field's own key is formatted too.
        substituteFields(copy, fields, values, true);
      } catch (error) {
        context.diagnostics.push(substitutionDiagnostic(error, 'chunking', item.source, ['chunk', 'substitution-fields'], fields));
        break; // the other chunks would fail the same way
      }
      out.push(itemOf(item, copy));
    }
  }
  return out;
};
