// The task transform: a validated, keyed-by-resolved task description becomes a
// Taskcluster task definition (taskgraph's transforms/task.py, in our words).
// The payload itself comes from the builder of the worker's implementation.
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from '../model.js';
import { buildPluginPayload } from '../../plugins/plugin-payload.js';
import { payloadBuilderFor, supportedImplementations } from '../payload/registry.js';
import type { PayloadContext, ScopeValue } from '../payload/types.js';
import { genericIndexRoutes } from './index-routes.js';
import { RELATIVE_TIME_EXPECTED, isoAfter, parseRelativeTime } from './relative-time.js';
import { MAX_SYMBOL_LENGTH, splitSymbol, treeherderDefaults, treeherderProject, treeherderRoute } from './treeherder.js';
import type { ResolvedWorker } from './worker-alias.js';
import { isRecord } from '../plain-data.js';

/** Defaults from config.yml, keyed-by already resolved for this run. */
export interface TaskDefaults {
  priority: string;
  deadlineAfter: string;
  expiresAfter: string;
}

export const DEFAULT_PRIORITY = 'low';
export const DEFAULT_DEADLINE_AFTER = '1 day';
export const DEFAULT_EXPIRES_AFTER = '28 days';
/** Levels 2 and 3 ignore config.yml's task-expires-after. */
export const TRUSTED_EXPIRES_AFTER = '1 year';

/** Everything that is the same for every task of a kind (computed once per kind). */
export interface TaskTransformContext {
  graph: LoadedGraph;
  kind: string;
  /** metadata.source of the kind's tasks. */
  sourceUrl: string;
  defaults: TaskDefaults;
  payload: PayloadContext;
  /** The kind itself, for a plugin's payload builder (its TransformConfig). */
  loadedKind?: LoadedKind;
  /** The tasks of the kind's kind-dependencies, for a plugin's payload builder (its TransformConfig). */
  kindDependencyTasks?: () => readonly GeneratedTask[];
}

export interface TaskTransformInput {
  label: string;
  description: Record<string, unknown>;
  source: SourceMap;
  worker: ResolvedWorker;
}

export interface TaskTransformOutput {
  task?: GeneratedTask;
  diagnostics: Diagnostic[];
}

function located(source: SourceMap, path: YamlPath, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'error', message, location: source.locate(path), path, ...extra };
}

/** Thousands of tasks share a handful of durations: each is turned into a time once per build date. */
const timeCache = new Map<string, string | undefined>();
function absoluteTime(ctx: TaskTransformContext, text: string): string | undefined {
  const key = `${ctx.graph.params.build_date}\0${text}`;
  if (timeCache.has(key)) return timeCache.get(key);
  const seconds = parseRelativeTime(text);
  const iso = seconds === undefined ? undefined : isoAfter(ctx.graph.params.build_date, seconds);
  if (timeCache.size > 10_000) timeCache.clear();
  timeCache.set(key, iso);
  return iso;
}

/** The treeherder defaults of a kind: worked out once per kind, not per task (they are only spread, never modified). */
const treeherderDefaultsByKind = new Map<string, Readonly<Record<string, unknown>>>();
function kindTreeherderDefaults(kind: string): Readonly<Record<string, unknown>> {
  let defaults = treeherderDefaultsByKind.get(kind);
  if (!defaults) treeherderDefaultsByKind.set(kind, (defaults = Object.freeze({ ...treeherderDefaults(kind) })));
  return defaults;
}

export function buildTask(input: TaskTransformInput, ctx: TaskTransformContext): TaskTransformOutput {
  const { description: desc, source, label, worker } = input;
  const { params, config } = ctx.graph;
  const diagnostics: Diagnostic[] = [];
  const level = String(params.level);
  const project = String(params.project);
  const trustDomain = config['trust-domain'];

  const time = (key: 'deadline-after' | 'expires-after', fallback: string): string => {
    const text = typeof desc[key] === 'string' ? (desc[key] as string) : fallback;
    const iso = absoluteTime(ctx, text);
    if (iso === undefined) {
      diagnostics.push(located(source, [key], `"${text}" is not a relative time`, { expected: RELATIVE_TIME_EXPECTED }));
      return absoluteTime(ctx, '0 seconds')!;
    }
    return iso;
  };
  const created = absoluteTime(ctx, '0 seconds')!;
  const deadline = time('deadline-after', ctx.defaults.deadlineAfter);
  const expires = time('expires-after', ctx.defaults.expiresAfter);

  const routes: string[] = Array.isArray(desc.routes) ? [...(desc.routes as string[])] : [];
  const scopes: ScopeValue[] = (Array.isArray(desc.scopes) ? (desc.scopes as string[]) : []).map((s) =>
    s.includes('{') ? s.replaceAll('{level}', level).replaceAll('{project}', project) : s,
  );
  const extra: Record<string, unknown> = isRecord(desc.extra) ? structuredClone(desc.extra) : {};
  // taskgraph records the decision task that created this one.
  extra.parent = { 'task-reference': '<decision>' };
  let descriptionText = String(desc.description ?? '');

  // Treeherder: `treeherder: true` takes every default, a map overrides some.
  let tier: number | undefined;
  if (desc.treeherder === true || isRecord(desc.treeherder)) {
    const th = { ...kindTreeherderDefaults(ctx.kind), ...(isRecord(desc.treeherder) ? desc.treeherder : {}) } as Record<string, unknown>;
    const platform = String(th.platform);
    const slash = platform.indexOf('/');
    if (slash < 0) {
      diagnostics.push(located(source, ['treeherder', 'platform'], `treeherder platform "${platform}" has no collection`, { expected: 'PLATFORM/COLLECTION, e.g. linux64/opt' }));
    }
    const [groupSymbol, symbol] = splitSymbol(String(th.symbol));
    const treeherder: Record<string, unknown> = {
      machine: { platform: slash < 0 ? platform : platform.slice(0, slash) },
      collection: { [slash < 0 ? 'opt' : platform.slice(slash + 1)]: true },
    };
    if (groupSymbol !== '?') {
      treeherder.groupSymbol = groupSymbol;
      const groupNames = config.treeherder?.['group-names'] ?? {};
      if (Object.prototype.hasOwnProperty.call(groupNames, groupSymbol)) {
        treeherder.groupName = groupNames[groupSymbol];
      } else {
        diagnostics.push(
          located(source, ['treeherder', 'symbol'], `treeherder group "${groupSymbol}" has no name`, {
            hint: `add it under treeherder.group-names in config.yml (known groups: ${Object.keys(groupNames).sort().join(', ') || 'none'})`,
          }),
        );
      }
    }
    if (symbol.length > MAX_SYMBOL_LENGTH || groupSymbol.length > MAX_SYMBOL_LENGTH) {
      diagnostics.push(located(source, ['treeherder', 'symbol'], `treeherder symbol "${th.symbol}" is too long`, { expected: `group and symbol of at most ${MAX_SYMBOL_LENGTH} characters each` }));
    }
    treeherder.symbol = symbol;
    treeherder.jobKind = th.kind;
    treeherder.tier = th.tier;
    tier = Number(th.tier);
    extra.treeherder = treeherder;
    if (extra['treeherder-platform'] === undefined) extra['treeherder-platform'] = platform;
    routes.push(treeherderRoute(params));
    descriptionText += ` ([Treeherder push](https://treeherder.mozilla.org/#/jobs?repo=${treeherderProject(params)}&revision=${params.head_rev}))`;
  }

  // Index: rank sorts tier-2/3 tasks below tier 1, then the product routes.
  const index = isRecord(desc.index) ? desc.index : undefined;
  const rankSetting = index?.rank ?? 'by-tier';
  const extraIndex = (isRecord(extra.index) ? extra.index : (extra.index = {})) as Record<string, unknown>;
  if (rankSetting === 'by-tier') extraIndex.rank = (tier ?? 3) > 1 ? 0 : Math.trunc(params.build_date);
  else if (rankSetting === 'build_date') extraIndex.rank = Math.trunc(params.build_date);
  else extraIndex.rank = rankSetting;
  if (index) {
    const type = index.type ?? 'generic';
    const products = config.index?.products ?? [];
    if (type !== 'generic') {
      diagnostics.push(located(source, ['index', 'type'], `unknown index type "${String(type)}"`, { expected: 'generic' }));
    } else if (!products.includes(String(index.product))) {
      diagnostics.push(
        located(source, ['index', 'product'], `index product "${String(index.product)}" is not configured`, {
          hint: `add it to index.products in config.yml (configured: ${products.join(', ') || 'none'})`,
        }),
      );
    } else {
      routes.push(...genericIndexRoutes(trustDomain, params, String(index.product), String(index['job-name'])));
    }
  }

  // taskgraph tags the implementation (and os) only when it looked them up in
  // an alias, not when the description names its implementation itself.
  const explicitImplementation = isRecord(desc.worker) && desc.worker.implementation !== undefined;
  const tags: Record<string, string> = {
    ...(isRecord(desc.tags) ? (desc.tags as Record<string, string>) : {}),
    ...(explicitImplementation ? {} : { 'worker-implementation': worker.implementation, ...(worker.os ? { os: worker.os } : {}) }),
    createdForUser: String(params.owner),
    kind: ctx.kind,
    label,
    project,
    'trust-domain': trustDomain,
  };

  const taskDef: Record<string, unknown> = {
    provisionerId: worker.provisionerId,
    workerType: worker.workerType,
    schedulerId: `${trustDomain}-level-${level}`,
    taskGroupId: { 'task-reference': '<decision>' },
    routes,
    created,
    deadline,
    expires,
    scopes,
    metadata: { name: label, description: descriptionText, owner: String(params.owner), source: ctx.sourceUrl },
    extra,
    tags,
    priority: typeof desc.priority === 'string' ? desc.priority : ctx.defaults.priority,
  };
  // Not a taskgraph field: written only when asked for (the queue's default is 5).
  if (typeof desc.retries === 'number') taskDef.retries = desc.retries;
  if (typeof desc.requires === 'string') taskDef.requires = desc.requires;

  const dependencies: Record<string, string> = isRecord(desc.dependencies) ? { ...(desc.dependencies as Record<string, string>) } : {};
  // if-dependencies name dependencies and become their labels; taskgraph refuses any other name.
  const ifDependencies: string[] = [];
  if (Array.isArray(desc['if-dependencies'])) {
    (desc['if-dependencies'] as string[]).forEach((name, index) => {
      if (!Object.prototype.hasOwnProperty.call(dependencies, name)) {
        diagnostics.push(
          located(source, ['if-dependencies', index], `"${name}" in if-dependencies is not a dependency of ${label}`, {
            expected: `one of the dependency names: ${Object.keys(dependencies).join(', ') || '(none)'}`,
          }),
        );
      } else {
        ifDependencies.push(dependencies[name]!);
      }
    });
  }
  const builder = payloadBuilderFor(worker.implementation);
  const pluginBuilder = builder ? undefined : ctx.graph.registered?.payloadBuilders.get(worker.implementation);
  const warnings: string[] = [];
  if (pluginBuilder) {
    diagnostics.push(
      ...buildPluginPayload(pluginBuilder, { graph: ctx.graph, kind: ctx.kind, ...(ctx.loadedKind ? { loadedKind: ctx.loadedKind } : {}), ...(ctx.kindDependencyTasks ? { kindDependencyTasks: ctx.kindDependencyTasks } : {}), label, description: desc, source, taskDef }),
    );
  } else if (!builder) {
    diagnostics.push(
      located(source, ['worker-type'], `worker alias "${worker.alias}" uses implementation "${worker.implementation}", which this tool cannot build payloads for`, {
        expected: `one of: ${[...supportedImplementations(), ...(ctx.graph.registered?.payloadBuilders.keys() ?? [])].join(', ')}`,
      }),
    );
  } else {
    const built = builder(
      {
        label,
        worker: isRecord(desc.worker) ? desc.worker : {},
        source,
        workerType: `${worker.provisionerId}/${worker.workerType}`,
        os: worker.os,
        expires,
        buildDate: params.build_date,
        needsSccache: desc['needs-sccache'] === true,
      },
      ctx.payload,
    );
    diagnostics.push(...built.diagnostics);
    warnings.push(...built.warnings);
    for (const [name, dep] of Object.entries(built.dependencies)) {
      if (Object.prototype.hasOwnProperty.call(dependencies, name) && dependencies[name] !== dep) {
        diagnostics.push(located(source, ['dependencies', name], `the dependency name "${name}" is reserved for the task's image (${dep})`, { hint: 'rename this dependency' }));
      }
      dependencies[name] = dep;
    }
    scopes.push(...built.scopes);
    if (worker.implementation === 'docker-worker' || worker.implementation === 'generic-worker') {
      const env = (built.payload.env ??= {}) as Record<string, unknown>;
      env.MOZ_AUTOMATION = '1';
    }
    taskDef.payload = built.payload;
  }

  // Checks on GitHub follow the task through this route.
  if (params.repository_type === 'git') routes.push('checks');

  if (
    isRecord(taskDef.payload) &&
    isRecord(taskDef.payload.features) &&
    taskDef.payload.features.chainOfTrust === true &&
    dependencies['docker-image'] !== undefined
  ) {
    const cot = (isRecord(extra.chainOfTrust) ? extra.chainOfTrust : (extra.chainOfTrust = {})) as Record<string, unknown>;
    const inputs = (isRecord(cot.inputs) ? cot.inputs : (cot.inputs = {})) as Record<string, unknown>;
    inputs['docker-image'] = { 'task-reference': '<docker-image>' };
  }

  const attributes: Record<string, unknown> = isRecord(desc.attributes) ? { ...desc.attributes } : {};
  attributes.kind = ctx.kind;
  attributes.run_on_projects = desc['run-on-projects'] ?? ['all'];
  attributes.run_on_tasks_for = desc['run-on-tasks-for'] ?? ['all'];
  if (Array.isArray(desc['run-on-git-branches']) && desc['run-on-git-branches'].length) {
    attributes.run_on_git_branches = desc['run-on-git-branches'];
  }
  attributes.always_target = desc['always-target'] === true;
  if (desc['shipping-phase'] !== undefined && desc['shipping-phase'] !== null) attributes.shipping_phase = desc['shipping-phase'];
  else if (attributes.shipping_phase === undefined) attributes.shipping_phase = null;

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return {
    diagnostics,
    task: {
      kind: ctx.kind,
      label,
      attributes,
      dependencies,
      optimization: isRecord(desc.optimization) ? desc.optimization : null,
      task: taskDef,
      workerImplementation: worker.implementation,
      ...(pluginBuilder ? { payloadBuiltBy: `payload builder "${pluginBuilder.implementation}" registered by register "${ctx.graph.registered!.registerName}"` } : {}),
      ...(worker.os !== undefined ? { workerOs: worker.os } : {}),
      description: String(desc.description ?? ''),
      softDependencies: Array.isArray(desc['soft-dependencies']) ? [...(desc['soft-dependencies'] as string[])] : [],
      ifDependencies,
      source,
      warnings,
    },
  };
}
