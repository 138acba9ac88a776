// The input boundary of the task transform: one task description, its keyed-by
// values already resolved, checked against schemas/task-description.yml, and its
// `worker` section against the description of the worker implementation that
// its worker alias names.
import type { Diagnostic } from '../diagnostics.js';
import type { SourceMap } from '../model.js';
import { validateValue } from './validate-schema.js';

/** Worker implementations that have a worker description schema and a payload builder. */
export const WORKER_IMPLEMENTATIONS = ['docker-worker', 'generic-worker'] as const;

export function validateTaskDescription(
  description: Record<string, unknown>,
  source: SourceMap,
  implementation: string,
): Diagnostic[] {
  const diagnostics = validateValue('task-description', description, source);
  const worker = description.worker;
  if (typeof worker !== 'object' || worker === null || Array.isArray(worker)) return diagnostics; // reported above
  if (!(WORKER_IMPLEMENTATIONS as readonly string[]).includes(implementation)) {
    const path = Object.hasOwn(description, 'worker-type') ? ['worker-type'] : ['worker'];
    diagnostics.push({
      severity: 'error',
      message: `worker implementation "${implementation}" is not supported`,
      path,
      location: source.locate(path),
      expected: `a worker alias whose implementation is one of: ${WORKER_IMPLEMENTATIONS.join(', ')}`,
    });
    return diagnostics;
  }
  diagnostics.push(...validateValue(`${implementation}-description`, worker, source, ['worker']));
  return diagnostics;
}
