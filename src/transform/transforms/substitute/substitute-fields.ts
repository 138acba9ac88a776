// Substitution into the fields of a task that matrix, chunking and
// task_context name in their `substitution-fields`: a dotted path (`worker.env`)
// selects a value, and every string in it, and every key of a map in it, is
// formatted (python-format.ts). Lists, maps and scalars keep their shape;
// numbers and booleans are left alone.
import type { YamlPath } from '../../diagnostics.js';
import { isRecord } from '../../plain-data.js';
import { FormatError, pythonFormat } from './python-format.js';

/** A value that could not be formatted, at `path` inside the task. */
export class SubstitutionError extends Error {
  constructor(
    message: string,
    readonly path: YamlPath,
    readonly expected?: string,
  ) {
    super(message);
    this.name = 'SubstitutionError';
  }
}

/** A field of `substitution-fields` that the task does not have. */
export class MissingFieldError extends Error {
  constructor(
    readonly field: string,
    /** The part of the dotted path that is missing or not a map. */
    readonly missing: string,
  ) {
    super(`the task has no field "${field}"${missing !== field ? ` ("${missing}" is missing or not a map)` : ''}`);
    this.name = 'MissingFieldError';
  }
}

/** `node` with every string and map key formatted; `path` is where `node` sits in the task (for errors). */
export function substitute(node: unknown, values: Readonly<Record<string, unknown>>, path: YamlPath): unknown {
  try {
    if (typeof node === 'string') return pythonFormat(node, values);
  } catch (error) {
    if (error instanceof FormatError) throw new SubstitutionError(error.message, path, error.expected);
    throw error;
  }
  if (Array.isArray(node)) return node.map((item, i) => substitute(item, values, [...path, i]));
  if (isRecord(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      let newKey: string;
      try {
        newKey = pythonFormat(key, values);
      } catch (error) {
        if (error instanceof FormatError) throw new SubstitutionError(`key ${error.message}`, [...path, key], error.expected);
        throw error;
      }
      out[newKey] = substitute(value, values, [...path, key]);
    }
    return out;
  }
  return node;
}

/** The map holding the last part of a dotted `field`, and that part's name and path. */
export function fieldContainer(task: Record<string, unknown>, field: string): { container: Record<string, unknown>; key: string; path: string[] } {
  const parts = field.split('.');
  const key = parts.pop()!;
  let container: unknown = task;
  const walked: string[] = [];
  for (const part of parts) {
    walked.push(part);
    container = isRecord(container) ? container[part] : undefined;
    if (!isRecord(container)) throw new MissingFieldError(field, walked.join('.'));
  }
  return { container: container as Record<string, unknown>, key, path: [...parts, key] };
}

/**
 * Formats each of `fields` of `task` in place. `formatKey`: the last part of
 * the field's path is formatted too, and the result written under that key
 * (chunking does this; the unformatted key stays).
 */
export function substituteFields(
  task: Record<string, unknown>,
  fields: readonly string[],
  values: Readonly<Record<string, unknown>>,
  formatKey = false,
): void {
  for (const field of fields) {
    const { container, key, path } = fieldContainer(task, field);
    if (!Object.hasOwn(container, key)) throw new MissingFieldError(field, field);
    const value = substitute(container[key], values, path);
    let target = key;
    if (formatKey) {
      try {
        target = pythonFormat(key, values);
      } catch (error) {
        if (error instanceof FormatError) throw new SubstitutionError(`key ${error.message}`, path, error.expected);
        throw error;
      }
    }
    container[target] = value;
  }
}
