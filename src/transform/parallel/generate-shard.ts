// One thread's share of a parallel generation. Every thread (the main one and
// the workers) takes the next kind off one shared list until none is left, so
// that a thread that drew cheap kinds takes more of them: kinds differ in cost
// per task far more than their YAML sizes say. Each kind is loaded, generated
// exactly as `generate` does, its output validated and written as taskgraph
// JSON text, ready to be joined with the other threads' kinds. A kind whose
// transforms read earlier kinds (cached_tasks, from_deps) first gets those kinds
// generated in this thread, for their digests and tasks, without emitting them.
//
// A thread answers only for a clean generation. Anything wrong (an error
// anywhere, a label JSON would reorder) makes it answer `ok: false` and tells
// the other threads to stop, and the caller generates the whole graph again in
// one thread, which reports every problem the way a serial run does.
import { DiagnosticsError, isError, type Diagnostic } from '../diagnostics.js';
import { generateKind, generationContext } from '../generate-kind.js';
import { orderKinds } from '../load/kind-order.js';
import { kindNames, loadGraph, loadKinds } from '../load/load-graph.js';
import type { LoadedKind } from '../model.js';
import { toTaskgraphJson } from '../output/emit.js';
import { validateGeneratedTasks } from '../output/validate-output.js';
import type { GenerateOptions } from '../pipeline.js';
import { taskWarnings } from '../pipeline.js';
import { kindReadsEarlierKinds } from '../transforms/registry.js';
import { checkRequiredParameters } from '../transforms/required-parameters.js';

/** Indexes into the shared Int32Array every thread of one generation holds. */
export const NEXT_KIND = 0;
export const STOP = 1;
export const SHARED_SLOTS = 2;

export interface ShardRequest {
  options: GenerateOptions;
  /** Every kind of the tree, in the order they are handed out (heaviest first). */
  kinds: string[];
  /** `[NEXT_KIND]`: index of the next kind to take; `[STOP]`: 1 when a thread has given up. */
  shared: Int32Array;
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

/** Keys JavaScript objects put first whatever their insertion order: the serial output would order them differently. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const needsOf = (kind: LoadedKind) => (kindReadsEarlierKinds(kind) ? kind.kindDependencies : []);

/** The entries of `JSON.stringify({...}, null, 2)` without the braces, so that pieces join with ",\n". */
function entriesJson(value: object): string {
  const text = JSON.stringify(value, null, 2);
  return text === '{}' ? '' : text.slice(2, -2);
}

export async function generateShard(request: ShardRequest): Promise<ShardResult> {
  const result = await generateKindsTaken(request);
  if (!result.ok) Atomics.store(request.shared, STOP, 1);
  return result;
}

async function generateKindsTaken({ options, kinds: order, shared }: ShardRequest): Promise<ShardResult> {
  try {
    // config.yml and the parameters; kinds are loaded one at a time as they are taken.
    const graph = await loadGraph({ ...options, only: { kinds: [], alsoLoad: () => [] } });
    if (checkRequiredParameters(graph.params).length) return { ok: false, reason: 'missing parameters' };
    const existing = kindNames(graph.root);
    const graphWarnings: Diagnostic[] = [...(graph.warnings ?? [])];
    const context = generationContext(graph, options.runtimeBundlePath, graphWarnings);
    if (graphWarnings.some(isError)) return { ok: false, reason: 'graph settings' };
    /** Kinds whose item transforms have run in this thread: their digests are in `context`. */
    const transformed = new Set<string>();
    const emitted: ShardKind[] = [];
    for (;;) {
      if (Atomics.load(shared, STOP) !== 0) return { ok: false, reason: 'another thread found a problem' };
      const index = Atomics.add(shared, NEXT_KIND, 1);
      if (index >= order.length) break;
      const name = order[index]!;
      const diagnostics: Diagnostic[] = [];
      // Earlier kinds already transformed here (and so the kinds they needed) are not loaded again.
      const alsoLoad = (k: LoadedKind) => needsOf(k).filter((n) => !transformed.has(n));
      const [kind, ...needed] = loadKinds(graph.root, existing, { kinds: [name], alsoLoad }, diagnostics);
      // Warnings of the loader (a key written twice, ...): the serial run reports them in its order.
      if (!kind || diagnostics.length) return { ok: false, reason: `loading kind ${name}` };
      const earlier = orderKinds(needed, diagnostics, new Set(existing));
      for (const dependency of earlier) {
        if ((await generateKind(dependency, context)).diagnostics.some(isError)) return { ok: false, reason: `kind ${dependency.name}` };
        transformed.add(dependency.name);
      }
      const result = await generateKind(kind, context);
      transformed.add(kind.name);
      if (diagnostics.some(isError) || result.diagnostics.some(isError)) return { ok: false, reason: `kind ${name}` };
      if (context.readWithoutDependencies.has(name)) return { ok: false, reason: `kind ${name} read kind-dependencies generated in another thread` };
      if (validateGeneratedTasks(result.tasks).length) return { ok: false, reason: `output of kind ${name}` };
      const labels = result.tasks.map((t) => t.label);
      if (labels.some((label) => ARRAY_INDEX.test(label))) return { ok: false, reason: 'a label that is an array index' };
      emitted.push({
        name,
        kindDependencies: kind.kindDependencies,
        json: entriesJson(toTaskgraphJson(result.tasks)),
        labels,
        dependencies: result.tasks.map((t) => Object.values(t.dependencies)),
        stageWarnings: result.diagnostics,
        taskWarnings: taskWarnings(result.tasks),
      });
    }
    return { ok: true, graphWarnings, kinds: emitted };
  } catch (error) {
    if (error instanceof DiagnosticsError) return { ok: false, reason: 'loading' };
    throw error;
  }
}
