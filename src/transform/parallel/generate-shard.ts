// One share of a parallel generation, in whichever thread runs it: the kinds
// of the share are loaded and generated exactly as `generate` does (plus the
// earlier kinds a cached_tasks kind needs digests from, transformed but not
// emitted), their output is validated, and each kind comes back as taskgraph
// JSON text, ready to be joined with the other shares'.
//
// A share answers only for a clean generation. Anything wrong (an error
// anywhere, a label JSON would reorder) makes it answer `ok: false`, and the
// caller generates the whole graph again in one thread, which reports every
// problem the way a serial run does, in the same order.
import { DiagnosticsError, type Diagnostic } from '../diagnostics.js';
import { generateKind, generationContext } from '../generate-kind.js';
import { loadGraph } from '../load/load-graph.js';
import { toTaskgraphJson } from '../output/emit.js';
import { validateGeneratedTasks } from '../output/validate-output.js';
import type { GenerateOptions } from '../pipeline.js';
import { taskWarnings } from '../pipeline.js';
import { readsEarlierKinds } from '../transforms/registry.js';
import { checkRequiredParameters } from '../transforms/required-parameters.js';

export interface ShardRequest {
  options: GenerateOptions;
  /** The kinds whose tasks this share emits. */
  kinds: string[];
}

/** One emitted kind. */
export interface ShardKind {
  name: string;
  kindDependencies: string[];
  /** The kind's entries of the taskgraph JSON object, indented as in the whole (`""` for none). */
  json: string;
  labels: string[];
  /** Per task (same order as `labels`), the labels it depends on. */
  dependencies: string[][];
  /** The kind's warnings from the stages, then its tasks' own warnings (as `generate` orders them). */
  stageWarnings: Diagnostic[];
  taskWarnings: Diagnostic[];
}

export type ShardResult = { ok: true; graphWarnings: Diagnostic[]; kinds: ShardKind[] } | { ok: false; reason: string };

const isError = (d: Diagnostic) => d.severity === 'error';
/** Keys JavaScript objects put first whatever their insertion order: the serial output would order them differently. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/** The entries of `JSON.stringify({...}, null, 2)` without the braces, so that shares join with ",\n". */
function entriesJson(value: object): string {
  const text = JSON.stringify(value, null, 2);
  return text === '{}' ? '' : text.slice(2, -2);
}

export function generateShard(request: ShardRequest): ShardResult {
  const emit = new Set(request.kinds);
  try {
    const graph = loadGraph({
      ...request.options,
      only: { kinds: request.kinds, alsoLoad: (kind) => (readsEarlierKinds(kind.transforms) ? kind.kindDependencies : []) },
    });
    if (checkRequiredParameters(graph.params).length) return { ok: false, reason: 'missing parameters' };
    const graphDiagnostics: Diagnostic[] = [];
    const context = generationContext(graph, request.options.runtimeBundlePath, graphDiagnostics);
    if (graphDiagnostics.some(isError)) return { ok: false, reason: 'graph settings' };
    const kinds: ShardKind[] = [];
    for (const kind of graph.kinds) {
      const emitted = emit.has(kind.name);
      const result = generateKind(kind, context, !emitted);
      if (result.diagnostics.some(isError)) return { ok: false, reason: `kind ${kind.name}` };
      if (!emitted) continue;
      if (validateGeneratedTasks(result.tasks).length) return { ok: false, reason: `output of kind ${kind.name}` };
      const labels = result.tasks.map((t) => t.label);
      if (labels.some((label) => ARRAY_INDEX.test(label))) return { ok: false, reason: 'a label that is an array index' };
      kinds.push({
        name: kind.name,
        kindDependencies: kind.kindDependencies,
        json: entriesJson(toTaskgraphJson(result.tasks)),
        labels,
        dependencies: result.tasks.map((t) => Object.values(t.dependencies)),
        stageWarnings: result.diagnostics,
        taskWarnings: taskWarnings(result.tasks),
      });
    }
    return { ok: true, graphWarnings: graphDiagnostics, kinds };
  } catch (error) {
    if (error instanceof DiagnosticsError) return { ok: false, reason: 'loading' };
    throw error;
  }
}
