// `by-<name>` for a name `register` added (registry.keyedBy): the value is the
// plugin function's answer for the task, asked only when a task's keyed-by
// value names it. A throw or an answer that is not a plain value is a
// diagnostic, and the attribute counts as absent meanwhile (the caller fails
// the task on any diagnostic).
import type { Diagnostic } from '../transform/diagnostics.js';
import type { LoadedGraph } from '../transform/model.js';
import { callPlugin } from './call-plugin.js';

export const NOT_REGISTERED = Symbol('not a registered keyed-by name');

export function pluginKeyedByValue(
  graph: LoadedGraph,
  name: string,
  task: Record<string, unknown>,
  problems: { label: string; diagnostics: Diagnostic[] } | undefined,
): unknown {
  const valueOf = graph.registered?.keyedBy.get(name);
  if (!valueOf) return NOT_REGISTERED;
  const what = `keyed-by value "by-${name}" (registered by register "${graph.registered!.registerName}")${problems ? ` for task ${problems.label}` : ''}`;
  const called = callPlugin(() => valueOf(task, graph.params) as unknown, what, graph.root, () => undefined);
  if (!called.ok) {
    problems?.diagnostics.push(called.diagnostic);
    return undefined;
  }
  const value = called.value;
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  problems?.diagnostics.push({
    severity: 'error',
    message: `${what} is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value} (${String(value)})`}`,
    expected: 'a string, a finite number, a boolean, or null or undefined for "default"',
  });
  return undefined;
}
