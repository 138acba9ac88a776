// A problem in config.yml concerns every run-task task of the graph; it is
// reported once, not once per task.
import type { Diagnostic } from '../../diagnostics.js';
import { formatDiagnostic } from '../../diagnostics.js';
import type { LoadedGraph } from '../../model.js';

const reported = new WeakMap<LoadedGraph, Set<string>>();

export function reportOnce(graph: LoadedGraph, diagnostic: Diagnostic, out: Diagnostic[]): void {
  let seen = reported.get(graph);
  if (!seen) reported.set(graph, (seen = new Set()));
  const key = formatDiagnostic(diagnostic);
  if (seen.has(key)) return;
  seen.add(key);
  out.push(diagnostic);
}

/** A step of the run transform that failed: its own problems, and maybe one about config.yml. */
export interface FailedStep {
  ok: false;
  diagnostics: Diagnostic[];
  config?: Diagnostic;
}

export function reportFailedStep(graph: LoadedGraph, failed: FailedStep, out: Diagnostic[]): void {
  if (failed.config) reportOnce(graph, failed.config, out);
  out.push(...failed.diagnostics);
}
