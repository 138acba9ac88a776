// taskgraph.transforms.run for `run: {using: run-task}` (and toolchain-script,
// which becomes a run-task run, and index-search, which has no command): turns a task's `run`
// section into the worker command, environment, caches (or cache mounts) and
// scopes that the equivalent hand-written task would have, and removes `run`,
// so the task description that reaches the task transform never has one.
//
//   fetches → dependencies, MOZ_FETCHES                   ../fetches.ts
//   keyed-by resolution (the whole task: the run section may be keyed too)
//   → a plugin's using (registry.runUsing): its build       plugins/plugin-run-using.ts
//   → index-search (done) / toolchain-script → run-task     index-search.ts, toolchain-script.ts
//   → run description (using, schema, defaults)           run-description.ts
//   → worker alias → implementation and layout            layout.ts
//   → checkout: repositories, args, env, scopes           repositories.ts, checkout.ts
//   → caches and their env                                caches.ts
//   → command line                                        command.ts
//   → the worker section in the implementation's spelling  apply-to-worker.ts
import type { Diagnostic } from '../../diagnostics.js';
import { resolveKeyedBy } from '../../keyed-by.js';
import type { GeneratedTask, LoadedGraph, LoadedKind, SourceMap } from '../../model.js';
import { keyedByContext } from '../keyed-by-context.js';
import { convertPluginRun, isPluginRunUsing } from '../../../plugins/plugin-run-using.js';
import type { KindTransform, TransformItem } from '../types.js';
import { workerOfTask } from '../worker-alias.js';
import { dockerWorkerSection, genericWorkerSection } from './apply-to-worker.js';
import { cachesSetup } from './caches.js';
import { checkoutSetup, selectCheckouts } from './checkout.js';
import { whenToOptimization } from './when.js';
import { DOCKER_WORKER_RUN_TASK, GENERIC_WORKER_RUN_TASK, WINDOWS_RUN_TASK, runTaskCommandLine } from './command.js';
import type { RunImplementation } from './layout.js';
import { normalizePath, runLayout } from './layout.js';
import { repositoryConfigs } from './repositories.js';
import { reportFailedStep } from './report-once.js';
import { readRunDescription } from './run-description.js';
import { isRecord } from '../../plain-data.js';
import { applyFetches } from '../fetches.js';
import { indexSearchTask } from './index-search.js';
import { toolchainToRunTask } from './toolchain-script.js';

/** Operating systems run-task supports on generic-worker here (Windows and bitbar need their own command shapes). */
const GENERIC_WORKER_OS = ['linux', 'macosx'];

export const runTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of applyFetches(items, context)) {
    if (item.value.run === undefined) {
      out.push(item);
      continue;
    }
    const converted = convert(item, context.graph, context.kind, context.diagnostics, context.kindDependencyTasks);
    if (converted) out.push(converted);
  }
  return out;
};

/** What `by-<attribute>` looks at, as the pipeline does for the task itself (a plain object: faster here than its proxy). */
function runKeyedByContext(graph: LoadedGraph, kind: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(isRecord(value.attributes) ? value.attributes : {}),
    ...value,
    level: graph.params.level,
    project: graph.params.project,
    'tasks-for': graph.params.tasks_for,
    kind,
  };
}

function convert(
  item: TransformItem,
  graph: LoadedGraph,
  kind: LoadedKind,
  diagnostics: Diagnostic[],
  kindDependencyTasks: () => readonly GeneratedTask[],
): TransformItem | undefined {
  // With a register's keyed-by values, the pipeline's lazy lookup (which asks the plugin only when needed).
  const pluginProblems = graph.registered
    ? { label: typeof item.value.label === 'string' ? item.value.label : `${item.kind}-${item.name}`, diagnostics: [] as Diagnostic[] }
    : undefined;
  const context = pluginProblems ? keyedByContext(graph, item.kind, item.value, pluginProblems) : runKeyedByContext(graph, item.kind, item.value);
  const resolved = resolveKeyedBy(item.value, item.source, context);
  if (pluginProblems?.diagnostics.length) {
    diagnostics.push(...pluginProblems.diagnostics.map((d) => (d.location ? d : { ...d, location: item.source.locate([]) })));
    return undefined;
  }
  if (resolved.diagnostics.length) {
    diagnostics.push(...resolved.diagnostics);
    if (resolved.diagnostics.some((d) => d.severity === 'error')) return undefined;
  }
  let value = resolved.value;
  const source: SourceMap = resolved.source;
  const label = typeof value.label === 'string' ? value.label : `${item.kind}-${item.name}`;
  const using = isRecord(value.run) ? value.run.using : undefined;
  if (isPluginRunUsing(graph, using)) return convertPluginRun(item, value, source, label, using, graph, kind, diagnostics, kindDependencyTasks);

  if (using === 'index-search') {
    const searched = indexSearchTask(graph, value, source, label);
    if (!searched.ok) {
      diagnostics.push(...searched.diagnostics);
      return undefined;
    }
    return { ...item, value: searched.value, source };
  }
  let cache = item.cache;
  if (using === 'toolchain-script') {
    const implementation = runImplementation(graph, value, source, label, diagnostics);
    if (!implementation) return undefined;
    const toolchain = toolchainToRunTask(graph, value, source, label, item.kind, implementation);
    if (!toolchain.ok) {
      diagnostics.push(...toolchain.diagnostics);
      return undefined;
    }
    diagnostics.push(...toolchain.warnings);
    // cached_tasks finds the task (and its parents of this kind) by label.
    value = { ...toolchain.value, label };
    cache = toolchain.cache;
  }

  const read = readRunDescription(graph, value.run, source, ['run']);
  if (!read.ok) {
    reportFailedStep(graph, read, diagnostics);
    return undefined;
  }
  const run = read.run;
  diagnostics.push(...read.warnings);

  const implementation = runImplementation(graph, value, source, label, diagnostics);
  if (!implementation) return undefined;
  const layout = runLayout(implementation, run.workdir);
  if (implementation === 'generic-worker-windows' && run.runTaskCommand === undefined) {
    diagnostics.push({
      severity: 'warning',
      message: `task ${label} runs on Windows, where the command is taskgraph's (python3.exe run-task); tc-payload's run-task does not run on Windows`,
      path: ['worker-type'],
      location: source.locate(['worker-type']),
      hint: "publish taskgraph's Python run-task as the decision task's public/run-task artifact, or set run.run-task-command",
    });
  }

  const selection = selectCheckouts(graph, run.checkout, source, ['run']);
  if (!selection.ok) {
    reportFailedStep(graph, selection, diagnostics);
    return undefined;
  }
  const checkouts = selection.repositories;
  const checkout = checkoutSetup(checkouts, layout);

  let cwd = run.cwd;
  if (cwd !== undefined && checkouts.length > 0) {
    cwd = normalizePath(cwd.replaceAll('{checkout}', layout.vcsPath));
  } else if (cwd?.includes('{checkout}')) {
    diagnostics.push({
      severity: 'error',
      message: `run.cwd uses {checkout}, but task ${label} has no checkout`,
      path: ['run', 'cwd'],
      location: source.locate(['run', 'cwd']),
      hint: 'give the directory without {checkout}, or let the task check out its repository (run.checkout)',
    });
    return undefined;
  }

  const configured = repositoryConfigs(graph);
  const configuredLines = configured.ok
    ? [...[...configured.repositories.values()].map((r) => ({ path: r.path, prefix: r.prefix })), ...[...configured.incomplete.keys()].map((prefix) => ({ path: '', prefix }))]
    : [];
  const caches = cachesSetup(run.useCaches, layout, checkouts, configuredLines);
  const commandLine = runTaskCommandLine({
    runTaskCommand:
      run.runTaskCommand ??
      (implementation === 'docker-worker' ? DOCKER_WORKER_RUN_TASK : implementation === 'generic-worker' ? GENERIC_WORKER_RUN_TASK : WINDOWS_RUN_TASK),
    windows: implementation === 'generic-worker-windows',
    checkoutArgs: checkout.args,
    ...(cwd !== undefined ? { cwd } : {}),
    runAsRoot: run.runAsRoot,
    command: run.command,
    execWith: run.execWith,
  });
  const setup = {
    commandLine,
    env: { ...checkout.env, ...caches.env, MOZ_SCM_LEVEL: String(graph.params.level) },
    caches: caches.caches,
    taskclusterProxy: checkouts.length > 0 && implementation === 'docker-worker',
  };

  const when = whenToOptimization(value, source, kind, graph.root);
  if (!when.ok) {
    diagnostics.push(when.diagnostic);
    return undefined;
  }
  const { run: _run, when: _when, ...rest } = value;
  const description: Record<string, unknown> = {
    ...rest,
    ...(when.optimization ? { optimization: when.optimization } : {}),
    worker:
      implementation === 'docker-worker'
        ? dockerWorkerSection(rest.worker, setup)
        : genericWorkerSection(rest.worker, setup, implementation === 'generic-worker-windows'),
  };
  if (checkout.scopes.length) {
    description.scopes = [...(Array.isArray(rest.scopes) ? rest.scopes : []), ...checkout.scopes];
  }
  return { ...item, value: description, source, ...(cache ? { cache } : {}) };
}

/** The worker implementation of the task's alias, or a located error. */
function runImplementation(
  graph: LoadedGraph,
  value: Record<string, unknown>,
  source: SourceMap,
  label: string,
  diagnostics: Diagnostic[],
): RunImplementation | undefined {
  const found = workerOfTask(graph, value['worker-type'], label, source, 'run-task needs the worker implementation to build the command');
  if ('diagnostic' in found) {
    diagnostics.push(found.diagnostic);
    return undefined;
  }
  const worker = found.worker;
  if (worker.implementation === 'docker-worker') return 'docker-worker';
  if (worker.implementation === 'generic-worker' && GENERIC_WORKER_OS.includes(worker.os ?? '')) return 'generic-worker';
  if (worker.implementation === 'generic-worker' && worker.os === 'windows') return 'generic-worker-windows';
  diagnostics.push({
    severity: 'error',
    message: `run: using: run-task is not supported on ${worker.implementation}${worker.os !== undefined ? ` with os "${worker.os}"` : ''} (worker-type "${worker.alias}")`,
    path: ['worker-type'],
    location: source.locate(['worker-type']),
    expected: `docker-worker, or generic-worker on ${GENERIC_WORKER_OS.join(', ')} or windows`,
    hint: 'write worker.command by hand for this worker',
  });
  return undefined;
}
