// One kind's share of `generate`: its transforms (docker_image, cached_tasks,
// run, …), then per item keyed-by resolution, worker alias lookup, task
// description validation, and the task transform with its payload builder.
// What is common to all kinds of one generation is worked out once
// (generationContext); kinds are generated in dependency order, since
// cached_tasks reads the digests of earlier kinds.
import { isError, type Diagnostic } from './diagnostics.js';
import { DockerImageCatalog } from './docker/image-catalog.js';
import { resolveKeyedBy } from './keyed-by.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from './model.js';
import type { PayloadContext } from './payload/types.js';
import { runtimeBundlePath } from './package-paths.js';
import { readRuntimeDigest } from './runtime-digest.js';
import { IMAGES_WORKER_ALIAS } from './transforms/docker-image.js';
import { keyedByContext } from './transforms/keyed-by-context.js';
import { kindTransforms } from './transforms/kind-transforms.js';
import { metadataSourceFor } from './transforms/metadata-source.js';
import type { TaskDefaults, TaskTransformContext } from './transforms/task.js';
import { buildTask } from './transforms/task.js';
import { taskDefaults } from './transforms/task-defaults.js';
import type { TransformContext, TransformItem } from './transforms/types.js';
import { workerOfTask } from './transforms/worker-alias.js';
import { validateTaskDescription } from './validate/task-description.js';
import { isRecord } from './plain-data.js';
import { PluginModules } from '../plugins/load-plugin.js';
import { runPluginLoader } from '../plugins/plugin-loader.js';
import { pluginLoaderOf } from './load/load-kind.js';

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
  // Only a tree whose register added keyed-by values can have a plugin fail here.
  const pluginProblems = graph.registered ? { label, diagnostics: [] as Diagnostic[] } : undefined;
  const resolved = resolveKeyedBy(item.value, item.source, keyedByContext(graph, item.kind, item.value, pluginProblems));
  if (pluginProblems?.diagnostics.length) {
    // The plugin's failure, not the "no such attribute" it led to.
    diagnostics.push(...pluginProblems.diagnostics.map((d) => (d.location ? d : { ...d, location: item.source.locate([]) })));
    return undefined;
  }
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
  // As in taskgraph, a task without a worker section gets an empty one (all a built-in worker type needs).
  const described: DescribedTask = { label, description: { worker: {}, ...resolved.value, label }, source: resolved.source };

  const aliasName = described.description['worker-type'];
  const imageTask = aliasName === IMAGES_WORKER_ALIAS && label.startsWith('docker-image-');
  const found = workerOfTask(
    graph,
    aliasName,
    label,
    described.source,
    imageTask ? `docker-image tasks run on the worker alias "${IMAGES_WORKER_ALIAS}": define it in config.yml` : undefined,
  );
  if ('diagnostic' in found) {
    diagnostics.push(found.diagnostic);
    return undefined;
  }
  const worker = found.worker;
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

  const problems = validateTaskDescription(described.description, described.source, worker.implementation, graph.registered);
  if (problems.length) {
    diagnostics.push(...problems);
    if (problems.some(isError)) return undefined;
  }

  const built = buildTask({ ...described, worker }, ctx);
  diagnostics.push(...built.diagnostics);
  return built.task;
}

/** What every kind of one generation shares. */
export interface GenerationContext {
  graph: LoadedGraph;
  images: DockerImageCatalog;
  payload: PayloadContext;
  defaults: TaskDefaults;
  /** label → digest of every cached task generated so far, for cached_tasks of later kinds. */
  cachedDigests: Map<string, string>;
  /** kind → its tasks, for every kind generated so far, for from_deps of later kinds. */
  generatedKinds: Map<string, readonly GeneratedTask[]>;
  /**
   * Kinds that read the tasks of a kind-dependency this context has not
   * generated: a --jobs thread that generated such a kind without them falls
   * back to the serial run (a plugin's transform may read them; nothing says
   * beforehand which does).
   */
  readWithoutDependencies: Set<string>;
  /** Labels of every task that failed in the kinds generated so far. */
  failedLabels: Set<string>;
  /** The repository's own modules (kind.yml `transforms:` and `loader:` outside taskgraph.), loaded once per generation. */
  plugins: PluginModules;
}

/** `diagnostics` receives what is wrong with the graph-wide settings (config.yml task defaults). */
export function generationContext(graph: LoadedGraph, bundle: string | undefined, diagnostics: Diagnostic[]): GenerationContext {
  const images = new DockerImageCatalog(graph.root);
  const runtimeBundle = bundle ?? runtimeBundlePath;
  return {
    graph,
    images,
    payload: {
      trustDomain: graph.config['trust-domain'],
      level: String(graph.params.level),
      runtimeDigest: () => readRuntimeDigest(runtimeBundle),
      images,
    },
    defaults: taskDefaults(graph, diagnostics),
    cachedDigests: new Map(),
    generatedKinds: new Map(),
    readWithoutDependencies: new Set(),
    failedLabels: new Set(),
    plugins: graph.plugins ?? new PluginModules(graph.root),
  };
}

export interface KindResult {
  tasks: GeneratedTask[];
  diagnostics: Diagnostic[];
  /** Labels of tasks that failed before they were generated: no "missing dependency" noise about them. */
  failedLabels: string[];
}

/**
 * The items the kind's own transforms (docker_image, from_deps, run, …) make
 * of its tasks, ready for the task transform; undefined when its
 * `transforms:` list cannot be used. Problems go to `diagnostics`.
 */
export async function transformKindItems(kind: LoadedKind, context: GenerationContext, diagnostics: Diagnostic[]): Promise<TransformItem[] | undefined> {
  const { graph } = context;
  const transforms = kindTransforms(kind, diagnostics, context.plugins);
  if (!transforms) return undefined;
  const tctx: TransformContext = {
    graph,
    kind,
    images: context.images,
    cachedDigests: context.cachedDigests,
    kindDependencyTasks: () => kindDependencyTasks(kind, context),
    diagnostics,
    failed: new Set(),
    failedEarlier: context.failedLabels,
  };
  const loader = pluginLoaderOf(kind);
  const loaded = loader
    ? await runPluginLoader(loader, kind, { graph, plugins: context.plugins, dependencyTasks: tctx.kindDependencyTasks, diagnostics })
    : kind.tasks.map((t) => ({ kind: kind.name, name: t.name, value: t.value, source: t.source }));
  if (!loaded) return undefined;
  let items: TransformItem[] = loaded;
  for (const transform of transforms) items = await transform(items, tctx);
  return items;
}

/** The kind's tasks, also kept in `context` for the kinds after it (cached_tasks, from_deps). */
export async function generateKind(kind: LoadedKind, context: GenerationContext): Promise<KindResult> {
  const { graph } = context;
  const diagnostics: Diagnostic[] = [];
  const tasks: GeneratedTask[] = [];
  const failedLabels: string[] = [];
  const allFailed = () => kind.tasks.map((t) => `${kind.name}-${t.name}`);
  const items = await transformKindItems(kind, context, diagnostics);
  if (!items) {
    for (const label of allFailed()) context.failedLabels.add(label);
    return { tasks, diagnostics, failedLabels: allFailed() };
  }
  // Items dropped by a transform: their labels are unknown, so any label of this kind may be missing for a reason.
  if (diagnostics.some(isError)) failedLabels.push(...allFailed());
  const ctx: TaskTransformContext = {
    graph,
    kind: kind.name,
    sourceUrl: metadataSourceFor(graph, kind),
    defaults: context.defaults,
    payload: context.payload,
    loadedKind: kind,
    kindDependencyTasks: () => kindDependencyTasks(kind, context),
  };
  for (const item of items) {
    const task = generateTask(item, graph, ctx, diagnostics);
    if (task) tasks.push(task);
    else failedLabels.push(typeof item.value.label === 'string' ? item.value.label : `${item.kind}-${item.name}`);
  }
  context.generatedKinds.set(kind.name, tasks);
  for (const label of failedLabels) context.failedLabels.add(label);
  return { tasks, diagnostics, failedLabels };
}

/** The tasks of the kind-dependencies of `kind`, noting when one of them has not been generated here. */
function kindDependencyTasks(kind: LoadedKind, context: GenerationContext): GeneratedTask[] {
  if (kind.kindDependencies.some((name) => !context.generatedKinds.has(name))) context.readWithoutDependencies.add(kind.name);
  return dependencyTasks(context.graph, kind, context.generatedKinds);
}

/** The tasks of the kind-dependencies of `kind`, in the order the graph generates kinds. */
function dependencyTasks(graph: LoadedGraph, kind: LoadedKind, generated: ReadonlyMap<string, readonly GeneratedTask[]>): GeneratedTask[] {
  const wanted = new Set(kind.kindDependencies);
  const out: GeneratedTask[] = [];
  // graph.kinds is in dependency order; a thread of a parallel run has loaded only some kinds, so fall back to generation order.
  const order = graph.kinds.length ? graph.kinds.map((k) => k.name) : [...generated.keys()];
  for (const name of new Set([...order, ...generated.keys()])) {
    if (wanted.has(name)) out.push(...(generated.get(name) ?? []));
  }
  return out;
}
