// `generate`: the whole build-time transformation, as a visible sequence of
// small stages. Per kind, in dependency order (generate-kind.ts):
//
//   kind's transforms (docker_image, cached_tasks, …)   transforms/kind-transforms.ts, registry.ts
//   → keyed-by resolution                               keyed-by.ts (FRONT), transforms/keyed-by-context.ts
//   → worker alias lookup                               transforms/worker-alias.ts
//   → task description validation                       validate/task-description.ts (FRONT)
//   → task transform + payload builder                  transforms/task.ts, payload/*
//
// then, over every task: output validation (OUTPUT) and the graph checks that
// need all labels (duplicates, dependencies on missing labels). Problems are
// collected per task and per kind; one run reports them all. parallel/ runs
// the same per-kind stages in several threads for the JSON output of a large
// clean graph, and falls back to this function for everything else.
import type { Diagnostic } from './diagnostics.js';
import { DiagnosticsError, collapseRepeated, isError } from './diagnostics.js';
import { generateKind, generationContext } from './generate-kind.js';
import type { LoadOptions } from './load/load-graph.js';
import { loadGraph } from './load/load-graph.js';
import type { DockerImageCatalog } from './docker/image-catalog.js';
import type { GeneratedTask, LoadedGraph } from './model.js';
import { validateGeneratedTasks } from './output/validate-output.js';
import { checkGraph } from './transforms/graph-checks.js';
import { checkRequiredParameters } from './transforms/required-parameters.js';

export interface GenerateOptions extends LoadOptions {
  /** The run-task bundle whose digest names run-task caches (default: this package's dist/run-task). */
  runtimeBundlePath?: string;
  /**
   * Refuse dependency cycles (default). lint turns it off: it reports each
   * cycle itself, with every dependency of the circle located.
   */
  refuseCycles?: boolean;
}

export interface GenerateResult {
  graph: LoadedGraph;
  tasks: GeneratedTask[];
  warnings: Diagnostic[];
  /** The in-tree images of the run, with their contexts (for `--write-artifacts`). */
  images: DockerImageCatalog;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const graph = await loadGraph(options);
  const missing = checkRequiredParameters(graph.params);
  // Located at the parameters file when there is one: that is where the value goes.
  const paramsFile = options.paramsFile;
  if (missing.length) throw new DiagnosticsError(missing.map((d) => (paramsFile && !d.location ? { ...d, location: { file: paramsFile, line: 1, column: 1 } } : d)));
  const diagnostics: Diagnostic[] = [...(graph.warnings ?? [])];
  const context = generationContext(graph, options.runtimeBundlePath, diagnostics);
  const tasks: GeneratedTask[] = [];
  for (const kind of graph.kinds) {
    const result = await generateKind(kind, context);
    diagnostics.push(...result.diagnostics);
    for (const task of result.tasks) tasks.push(task);
  }

  const earlierFailed = diagnostics.some(isError);
  if (!earlierFailed) diagnostics.push(...validateGeneratedTasks(tasks));
  diagnostics.push(...checkGraph(tasks, context.failedLabels, { cycles: options.refuseCycles !== false }));

  const errors = collapseRepeated(diagnostics.filter(isError));
  // The warnings go along: among them, what was skipped because of an error.
  if (errors.length) throw new DiagnosticsError([...errors, ...collapseRepeated(diagnostics.filter((d) => !isError(d)))]);
  return { graph, tasks, warnings: collapseRepeated([...diagnostics.filter((d) => !isError(d)), ...taskWarnings(tasks)]), images: context.images };
}

/** What the builders noted about single tasks, as warnings located at the task. */
export function taskWarnings(tasks: readonly GeneratedTask[]): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const task of tasks) {
    for (const message of task.warnings) {
      warnings.push({ severity: 'warning', message: `${task.label}: ${message}`, location: task.source.locate([]) });
    }
  }
  return warnings;
}
