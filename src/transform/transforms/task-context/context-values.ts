// Where the values of a task's context come from, in taskgraph's order of
// precedence (later wins): from-file, then custom providers, then
// from-object, then from-parameters; `name` is the task's name unless one of
// them gives it.
import { dirname, resolve } from 'node:path';
import type { TaskContext } from '../../../generated/task-context.js';
import { DiagnosticsError, type Diagnostic } from '../../diagnostics.js';
import { parseYamlFile } from '../../load/yaml-document.js';
import type { Parameters, SourceMap } from '../../model.js';
import { isRecord } from '../../plain-data.js';
import type { TransformContext } from '../types.js';

/**
 * Context providers plugins may register, by the name `from-custom` lists:
 * each gets the transform context and the task, and returns values.
 */
export type CustomContextProvider = (context: TransformContext, task: Readonly<Record<string, unknown>>) => Record<string, unknown>;

const customProviders = new Map<string, CustomContextProvider>();

export function registerContextProvider(name: string, provider: CustomContextProvider): void {
  if (customProviders.has(name)) throw new Error(`a task_context provider named "${name}" is already registered`);
  customProviders.set(name, provider);
}

/** A dotted path into the parameters; undefined where any part is missing. */
function parameterAt(params: Parameters, path: string): unknown {
  let value: unknown = params;
  for (const part of path.split('.')) {
    if (!isRecord(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

function fromParameters(params: Parameters, spec: NonNullable<TaskContext['from-parameters']>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(spec)) {
    if (typeof path === 'string') {
      // taskgraph gives a missing parameter as None: `{x}` then reads "None".
      values[name] = parameterAt(params, path) ?? null;
      continue;
    }
    for (const choice of path) {
      const value = parameterAt(params, choice);
      if (value !== undefined && value !== null) {
        values[name] = value;
        break;
      }
    }
  }
  return values;
}

type FileRead = { value: unknown } | { problem: string };

/**
 * Parsed files by absolute path, per generation (the graph): every task of a
 * kind usually names the same file, and a later generation in the same
 * process must see the file as it is then.
 */
const fileCaches = new WeakMap<object, Map<string, FileRead>>();

function fromFile(graph: object, repositoryRoot: string, file: string): { value: Record<string, unknown> } | { problem: string } {
  const path = resolve(repositoryRoot, file);
  let fileCache = fileCaches.get(graph);
  if (!fileCache) fileCaches.set(graph, (fileCache = new Map()));
  let read = fileCache.get(path);
  if (!read) {
    try {
      read = { value: parseYamlFile(path).value };
    } catch (error) {
      if (!(error instanceof DiagnosticsError)) throw error;
      read = { problem: error.diagnostics.map((d) => d.message).join('; ') };
    }
    fileCache.set(path, read);
  }
  if ('problem' in read) return read;
  if (read.value === null || read.value === undefined) return { value: {} };
  if (!isRecord(read.value)) return { problem: `${path} must be a map of context names to values` };
  return { value: read.value };
}

/** The context of one task, or the diagnostic of the source that failed. */
export function contextValues(
  spec: TaskContext,
  task: Readonly<Record<string, unknown>>,
  context: TransformContext,
  source: SourceMap,
): { ok: true; values: Record<string, unknown> } | { ok: false; diagnostic: Diagnostic } {
  const values: Record<string, unknown> = {};
  const fail = (path: (string | number)[], message: string, hint?: string) => ({
    ok: false as const,
    diagnostic: { severity: 'error' as const, message: `task_context: ${message}`, path, location: source.locate(path), ...(hint ? { hint } : {}) },
  });
  if (spec['from-file'] !== undefined) {
    // Relative to the repository root: the directory that holds the taskgraph root.
    const read = fromFile(context.graph, dirname(context.graph.root), spec['from-file']);
    if ('problem' in read) {
      return fail(['task-context', 'from-file'], read.problem, `from-file is relative to ${dirname(context.graph.root)}, the directory holding the taskgraph root`);
    }
    Object.assign(values, read.value);
  }
  for (const [index, name] of (spec['from-custom'] ?? []).entries()) {
    const provider = customProviders.get(name);
    if (!provider) {
      const known = [...customProviders.keys()].sort();
      return fail(['task-context', 'from-custom', index], `no context provider named "${name}"`, known.length ? `registered: ${known.join(', ')}` : 'no providers are registered');
    }
    Object.assign(values, provider(context, task));
  }
  Object.assign(values, spec['from-object'] ?? {});
  Object.assign(values, fromParameters(context.graph.params, spec['from-parameters'] ?? {}));
  if (!Object.hasOwn(values, 'name')) values.name = task.name;
  return { ok: true, values };
}
