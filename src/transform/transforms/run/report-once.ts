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
