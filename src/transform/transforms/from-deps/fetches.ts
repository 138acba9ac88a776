// from_deps `fetches`: per dependency of a listed kind, the entries given for
// that kind with `artifact` and `dest` formatted with the dependency's
// attributes. They are added to the task's own `fetches`, under the
// dependency's kind (or its label when kinds need not be unique), for the
// fetches support of the run transform to turn into MOZ_FETCHES.
import type { FromDeps } from '../../../generated/from-deps.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { GeneratedTask, SourceMap } from '../../model.js';
import { isRecord } from '../../plain-data.js';
import { FormatError, pythonFormat } from '../substitute/python-format.js';

type Fetches = NonNullable<FromDeps['fetches']>;

/** Adds the fetches of `dependencies` to `task`; a diagnostic when an entry cannot be formatted. */
export function addFetches(
  task: Record<string, unknown>,
  fetches: Fetches,
  dependencies: readonly GeneratedTask[],
  uniqueKinds: boolean,
  source: SourceMap,
): Diagnostic | undefined {
  const taskFetches = isRecord(task.fetches) ? task.fetches : (task.fetches = {});
  for (const dependency of dependencies) {
    const entries = fetches[dependency.kind];
    if (!entries) continue;
    const formatted: Record<string, unknown>[] = [];
    for (const [index, entry] of entries.entries()) {
      const copy: Record<string, unknown> = { ...entry };
      for (const key of ['artifact', 'dest'] as const) {
        if (entry[key] === undefined) continue;
        try {
          copy[key] = pythonFormat(entry[key]!, dependency.attributes);
        } catch (error) {
          if (!(error instanceof FormatError)) throw error;
          const at = ['from-deps', 'fetches', dependency.kind, index, key];
          return {
            severity: 'error',
            message: `from_deps: fetches from ${dependency.label}: ${error.message}`,
            path: at,
            location: source.locate(at),
            expected: `one of the attributes of ${dependency.label}: ${Object.keys(dependency.attributes).sort().join(', ')}`,
          };
        }
      }
      formatted.push(copy);
    }
    taskFetches[uniqueKinds ? dependency.kind : dependency.label] = formatted;
  }
  return undefined;
}
