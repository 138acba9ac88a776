// The input boundary of the task transform: one task description, its keyed-by
// values already resolved, checked against schemas/task-description.yml, and its
// `worker` section against the description of the worker implementation that
// its worker alias names.
import type { Diagnostic } from '../diagnostics.js';
import type { SourceMap } from '../model.js';
import { schemaRegistry } from './schema-registry.js';
import { validateValue } from './validate-schema.js';
import { checkPluginWorker } from '../../plugins/plugin-payload.js';
import type { Registrations } from '../../plugins/registrations.js';

/** Worker implementations that have a worker description schema and a payload builder. */
export const WORKER_IMPLEMENTATIONS = ['docker-worker', 'generic-worker'] as const;
/** The built-in worker types: their payload builders check their (tiny) worker sections themselves. */
const BUILTIN_IMPLEMENTATIONS = ['succeed', 'always-optimized'];

export function validateTaskDescription(
  description: Record<string, unknown>,
  source: SourceMap,
  implementation: string,
  /** What the tree's `register` added: payload builders of other implementations. */
  registered?: Registrations,
): Diagnostic[] {
  const diagnostics = validateValue('task-description', description, source);
  const worker = description.worker;
  if (BUILTIN_IMPLEMENTATIONS.includes(implementation)) return diagnostics;
  if (typeof worker !== 'object' || worker === null || Array.isArray(worker)) return diagnostics; // reported above
  const pluginProblems = checkPluginWorker(registered, implementation, worker as Record<string, unknown>, source);
  if (pluginProblems) return [...diagnostics, ...pluginProblems];
  if (!(WORKER_IMPLEMENTATIONS as readonly string[]).includes(implementation)) {
    const path = Object.hasOwn(description, 'worker-type') ? ['worker-type'] : ['worker'];
    const alias = typeof description['worker-type'] === 'string' ? ` (worker alias "${description['worker-type']}")` : '';
    diagnostics.push({
      severity: 'error',
      message: `task ${String(description.label)} runs on worker implementation "${implementation}"${alias}, which has no payload builder here`,
      path,
      location: source.locate(path),
      expected: `a worker alias whose implementation is one of: ${[...WORKER_IMPLEMENTATIONS, ...BUILTIN_IMPLEMENTATIONS, ...(registered?.payloadBuilders.keys() ?? [])].join(', ')}`,
    });
    return diagnostics;
  }
  for (const diagnostic of validateValue(`${implementation}-description`, worker, source, ['worker'])) {
    diagnostics.push(withOtherImplementationHint(diagnostic, implementation, description['worker-type']));
  }
  return diagnostics;
}

/** `mounts` in a docker-worker task is not a typo: say which implementation has it. */
function withOtherImplementationHint(diagnostic: Diagnostic, implementation: string, workerType: unknown): Diagnostic {
  const key = diagnostic.path?.[1];
  if (diagnostic.hint || diagnostic.path?.length !== 2 || typeof key !== 'string' || !diagnostic.message.startsWith('unknown key')) {
    return diagnostic;
  }
  const other = WORKER_IMPLEMENTATIONS.find(
    (name) => name !== implementation && Object.hasOwn(schemaProperties(`${name}-description`), key),
  );
  if (!other) return diagnostic;
  const alias = typeof workerType === 'string' ? `worker-type "${workerType}"` : 'this worker-type';
  return { ...diagnostic, hint: `"${key}" is a ${other} setting, but ${alias} runs on ${implementation}` };
}

function schemaProperties(schemaId: string): Record<string, unknown> {
  const schema = schemaRegistry().validator(schemaId).schema as { properties?: Record<string, unknown> };
  return schema.properties ?? {};
}
