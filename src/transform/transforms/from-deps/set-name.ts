// How from_deps names each new task after its primary dependency. taskgraph
// has `strip-kind` (the default) and `retain-kind`; plugins add their own
// through registerSetName, used as `set-name: <name>` or, with an argument,
// `set-name: {<name>: <argument>}`.
import type { GeneratedTask } from '../../model.js';
import type { TransformContext } from '../types.js';

export interface SetName {
  name(context: TransformContext, tasks: readonly GeneratedTask[], primary: GeneratedTask, primaryKind: string, argument: unknown): string;
  /** Present when the function takes an argument: what is wrong with it, or undefined. */
  checkArgument?(argument: unknown): string | undefined;
}

const registry = new Map<string, SetName>();

export function registerSetName(name: string, setName: SetName): void {
  if (registry.has(name)) throw new Error(`a from_deps set-name function named "${name}" is already registered`);
  registry.set(name, setName);
}

export function lookupSetName(name: string): SetName | undefined {
  return registry.get(name);
}

export function setNameNames(): string[] {
  return [...registry.keys()].sort();
}

registerSetName('strip-kind', {
  // taskgraph checks only that the label starts with the kind, then drops one more character (the dash).
  name: (_context, _tasks, primary, kind) => (primary.label.startsWith(kind) ? primary.label.slice(kind.length + 1) : primary.label),
});

registerSetName('retain-kind', { name: (_context, _tasks, primary) => primary.label });
