// matrix, chunking and task_context see a task as taskgraph does: one map whose
// `name` is the task's name, so that `name` can be a substitution field and
// `{name}` a value. Items keep the name beside the value; these two functions
// go from one shape to the other, and word the substitution failures.
import type { Diagnostic, YamlPath } from '../../diagnostics.js';
import type { SourceMap } from '../../model.js';
import type { TransformItem } from '../types.js';
import { MissingFieldError, SubstitutionError } from './substitute-fields.js';

/** A deep copy of the item's value with `name` set: the copy may be changed freely. */
export function taskOf(item: TransformItem): Record<string, unknown> {
  const task = structuredClone(item.value);
  task.name = item.name;
  return task;
}

/** The item for a task made by `taskOf` (and changed since): its name taken back out. */
export function itemOf(item: TransformItem, task: Record<string, unknown>): TransformItem {
  const { name, ...value } = task;
  // A `name` the entry itself has (a docker-image entry's image name) stays in the value.
  if (Object.hasOwn(item.value, 'name')) value.name = name;
  return { ...item, name: String(name), value };
}

/**
 * The diagnostic for a failed substitution of `transform`: a value that could
 * not be formatted is located where it is written, a field the task lacks at
 * its entry of `substitution-fields` (`fieldsAt`, the path of that list).
 */
export function substitutionDiagnostic(
  error: unknown,
  transform: string,
  source: SourceMap,
  fieldsAt: YamlPath,
  fields: readonly string[],
): Diagnostic {
  if (error instanceof MissingFieldError) {
    const at = [...fieldsAt, Math.max(0, fields.indexOf(error.field))];
    return {
      severity: 'error',
      message: `${transform}: ${error.message}`,
      location: source.locate(at),
      path: at,
      hint: 'list only fields the task has, as dotted paths such as worker.env',
    };
  }
  if (error instanceof SubstitutionError) {
    // The name is the task's key: there is nothing else to point at.
    const at = error.path[0] === 'name' ? [] : error.path;
    return {
      severity: 'error',
      message: `${transform}: ${error.message}`,
      location: source.locate(at),
      path: at,
      ...(error.expected ? { expected: error.expected } : {}),
      hint: 'write "{{" and "}}" for braces that are not a substitution',
    };
  }
  throw error;
}
