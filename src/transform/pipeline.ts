// `generate`: the whole build-time transformation, as a visible sequence of
// small stages. Per kind, in dependency order:
//
//   kind's transforms (docker_image, cached_tasks, …)   transforms/kind-transforms.ts, registry.ts
//   → keyed-by resolution                               keyed-by.ts (FRONT), transforms/keyed-by-context.ts
//   → worker alias lookup                               transforms/worker-alias.ts
//   → task description validation                       validate/task-description.ts (FRONT)
//   → task transform + payload builder                  transforms/task.ts, payload/*
//
// then, over every task: output validation (OUTPUT) and the graph checks that
// need all labels (duplicates, dependencies on missing labels). Problems are
// collected per task and per kind; one run reports them all.
import type { Diagnostic } from './diagnostics.js';
import { DiagnosticsError } from './diagnostics.js';
import { DockerImageCatalog } from './docker/image-catalog.js';
import { resolveKeyedBy } from './keyed-by.js';
import type { LoadOptions } from './load/load-graph.js';
import { loadGraph } from './load/load-graph.js';
import type { GeneratedTask, LoadedGraph, SourceMap } from './model.js';
import { validateGeneratedTasks } from './output/validate-output.js';
import { runtimeBundlePath } from './package-paths.js';
import { readRuntimeDigest } from './runtime-digest.js';
import { IMAGES_WORKER_ALIAS } from './transforms/docker-image.js';
import { checkGraph } from './transforms/graph-checks.js';
import { keyedByContext } from './transforms/keyed-by-context.js';
import { kindTransforms } from './transforms/kind-transforms.js';
import { metadataSourceFor } from './transforms/metadata-source.js';
import { checkRequiredParameters } from './transforms/required-parameters.js';
import type { TaskTransformContext } from './transforms/task.js';
import { buildTask } from './transforms/task.js';
import { taskDefaults } from './transforms/task-defaults.js';
import type { TransformContext, TransformItem } from './transforms/types.js';
import { knownAliases, resolveWorkerAlias } from './transforms/worker-alias.js';
import { validateTaskDescription } from './validate/task-description.js';

export interface GenerateOptions extends LoadOptions {
  /** The run-task bundle whose digest names run-task caches (default: this package's dist/run-task). */
  runtimeBundlePath?: string;
}

export interface GenerateResult {
  graph: LoadedGraph;
  tasks: GeneratedTask[];
  warnings: Diagnostic[];
  /** The in-tree images of the run, with their contexts (for `--write-artifacts`). */
  images: DockerImageCatalog;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isError = (d: Diagnostic) => d.severity === 'error';

interface DescribedTask {
  label: string;
  description: Record<string, unknown>;
  source: SourceMap;
}

/** Label, keyed-by resolution, worker alias, validation, task transform: one item to one task. */
function generateTask(
  item: TransformItem,
  graph: LoadedGraph,
  ctx: TaskTransformContext,
  diagnostics: Diagnostic[],
): GeneratedTask | undefined {
  const label = typeof item.value.label === 'string' ? item.value.label : `${item.kind}-${item.name}`;
  const resolved = resolveKeyedBy(item.value, item.source, keyedByContext(graph, item.kind, item.value));
  if (resolved.diagnostics.length) {
    diagnostics.push(...resolved.diagnostics);
    if (resolved.diagnostics.some(isError)) return undefined;
  }
  if (item.value.run !== undefined) {
    diagnostics.push({
      severity: 'error',
      message: `task ${label} has a run description, but the transforms of kind ${item.kind} do not include taskgraph.transforms.run`,
      location: item.source.locate(['run']),
      path: ['run'],
      hint: 'list `- taskgraph.transforms.run:transforms` before the task transform in kind.yml',
    });
    return undefined;
  }
  const described: DescribedTask = { label, description: { ...resolved.value, label }, source: resolved.source };

  const aliasName = described.description['worker-type'];
  const level = String(graph.params.level);
  const worker = typeof aliasName === 'string' ? resolveWorkerAlias(graph.config, aliasName, level) : undefined;
  if (!worker) {
    const known = knownAliases(graph.config);
    const imageTask = aliasName === IMAGES_WORKER_ALIAS && label.startsWith('docker-image-');
    diagnostics.push({
      severity: 'error',
      message:
        typeof aliasName === 'string'
          ? `unknown worker alias "${aliasName}" (task ${label})`
          : `task ${label} has no worker-type`,
      location: described.source.locate(['worker-type']),
      path: ['worker-type'],
      expected: `a worker alias defined under workers.aliases in config.yml: ${known.join(', ') || '(none defined)'}`,
      ...(imageTask
        ? { hint: `docker-image tasks run on the worker alias "${IMAGES_WORKER_ALIAS}": define it in config.yml` }
        : {}),
    });
    return undefined;
  }
  const explicit = isRecord(described.description.worker) ? described.description.worker.implementation : undefined;
  if (explicit !== undefined && explicit !== worker.implementation) {
    diagnostics.push({
      severity: 'error',
      message: `worker.implementation is "${String(explicit)}" but worker alias "${worker.alias}" runs ${worker.implementation}`,
      location: described.source.locate(['worker', 'implementation']),
      path: ['worker', 'implementation'],
      hint: 'remove worker.implementation (the alias decides it) or use an alias of that implementation',
    });
    return undefined;
  }

  const problems = validateTaskDescription(described.description, described.source, worker.implementation);
  if (problems.length) {
    diagnostics.push(...problems);
    if (problems.some(isError)) return undefined;
  }

  const built = buildTask({ ...described, worker }, ctx);
  diagnostics.push(...built.diagnostics);
  return built.task;
}

export function generate(options: GenerateOptions): GenerateResult {
  const graph = loadGraph(options);
  const missing = checkRequiredParameters(graph.params);
  if (missing.length) throw new DiagnosticsError(missing);
  const diagnostics: Diagnostic[] = [];
  const images = new DockerImageCatalog(graph.root);
  const bundle = options.runtimeBundlePath ?? runtimeBundlePath;
  const payload = {
    trustDomain: graph.config['trust-domain'],
    level: String(graph.params.level),
    runtimeDigest: () => readRuntimeDigest(bundle),
    images,
  };
  const defaults = taskDefaults(graph, diagnostics);
  const cachedDigests = new Map<string, string>();
  const tasks: GeneratedTask[] = [];
  /** Labels of tasks that failed before they were generated: no "missing dependency" noise about them. */
  const failedLabels = new Set<string>();

  for (const kind of graph.kinds) {
    const transforms = kindTransforms(kind, diagnostics);
    if (!transforms) {
      for (const t of kind.tasks) failedLabels.add(`${kind.name}-${t.name}`);
      continue;
    }
    const tctx: TransformContext = { graph, kind, images, cachedDigests, diagnostics };
    const before = diagnostics.length;
    let items: TransformItem[] = kind.tasks.map((t) => ({ kind: kind.name, name: t.name, value: t.value, source: t.source }));
    for (const transform of transforms) items = transform(items, tctx);
    if (diagnostics.length > before && items.length < kind.tasks.length) {
      // Items dropped by a transform: their labels are unknown, so any label of this kind may be missing for a reason.
      for (const t of kind.tasks) failedLabels.add(`${kind.name}-${t.name}`);
    }
    const ctx: TaskTransformContext = {
      graph,
      kind: kind.name,
      sourceUrl: metadataSourceFor(graph, kind),
      defaults,
      payload,
    };
    for (const item of items) {
      const task = generateTask(item, graph, ctx, diagnostics);
      if (task) tasks.push(task);
      else failedLabels.add(typeof item.value.label === 'string' ? item.value.label : `${item.kind}-${item.name}`);
    }
  }

  const earlierFailed = diagnostics.some(isError);
  if (!earlierFailed) diagnostics.push(...validateGeneratedTasks(tasks));
  diagnostics.push(...checkGraph(tasks, failedLabels));

  const errors = diagnostics.filter(isError);
  if (errors.length) throw new DiagnosticsError(errors);
  const warnings = diagnostics.filter((d) => !isError(d));
  for (const task of tasks) {
    for (const message of task.warnings) {
      warnings.push({ severity: 'warning', message: `${task.label}: ${message}`, location: task.source.locate([]) });
    }
  }
  return { graph, tasks, warnings, images };
}
