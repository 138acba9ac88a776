// Reading a task's run-task `run` section (index.ts handles index-search and turns toolchain-script into run-task first): `using`,
// then the schema (schemas/run-description.yml), then the defaults of
// taskgraph's run transform and of config.yml `taskgraph.run`.
import type { RunDescriptionRunTask } from '../../../generated/run-description.js';
import { isError, type Diagnostic, type YamlPath } from '../../diagnostics.js';
import type { LoadedGraph, SourceMap } from '../../model.js';
import { validateValue } from '../../validate/validate-schema.js';
import { DEFAULT_USE_CACHES, RUN_CACHES } from './caches.js';
import { DEFAULT_WORKDIR } from './layout.js';
import type { FailedStep } from './report-once.js';
import { isRecord } from '../../plain-data.js';

/** The `run.using` values this project implements. */
export const SUPPORTED_USING = ['run-task', 'toolchain-script', 'index-search'] as const;

export type RunCommand = RunDescriptionRunTask['command'];
export type TaskReference = Exclude<RunCommand, string | unknown[]>;

/** A valid run-task `run` section with every default filled in. */
export interface RunTaskDescription {
  command: RunCommand;
  execWith: NonNullable<RunDescriptionRunTask['exec-with']>;
  checkout: NonNullable<RunDescriptionRunTask['checkout']>;
  workdir: string;
  cwd?: string;
  useCaches: boolean | string[];
  /** Absent: the worker implementation's default. */
  runTaskCommand?: string[];
  runAsRoot: boolean;
}

export type ReadResult =
  /** `warnings`: keys of the run section that taskgraph ignores, and so does this. */
  | { ok: true; run: RunTaskDescription; warnings: Diagnostic[] }
  /** `config`: a problem in config.yml (shared by every task) rather than in the task. */
  | FailedStep;

/** Checks the `run` value found at `runPath` of a task and fills in its defaults. */
export function readRunDescription(graph: LoadedGraph, run: unknown, source: SourceMap, runPath: YamlPath): ReadResult {
  const located = (path: YamlPath, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
    severity: 'error',
    message,
    path,
    location: source.locate(path),
    ...extra,
  });
  if (!isRecord(run)) {
    return { ok: false, diagnostics: [located(runPath, 'the run description must be a map', { expected: 'a map with at least `using` and `command`' })] };
  }
  // `using` decides which schema applies, so it is checked on its own first:
  // an unsupported value gets one clear error instead of a list of keys that
  // "do not belong" to run-task.
  if (run.using !== 'run-task') {
    const usingPath = [...runPath, 'using'];
    const message =
      run.using === undefined
        ? 'the run description has no `using`'
        : `run.using ${JSON.stringify(run.using)} is not supported`;
    return {
      ok: false,
      diagnostics: [
        located(run.using === undefined ? runPath : usingPath, message, {
          expected: `one of: ${[...SUPPORTED_USING, ...(graph.registered?.runUsing.keys() ?? [])].join(', ')}`,
          hint: 'write the worker section (command, env, caches) by hand for other kinds of run',
        }),
      ],
    };
  }
  const problems = validateValue('run-description', run, source, runPath);
  if (problems.some(isError)) return { ok: false, diagnostics: problems };

  // Valid against the schema from here on, so the generated type describes it.
  const valid = run as unknown as RunDescriptionRunTask;
  const useCaches: UseCachesResult =
    valid['use-caches'] !== undefined && valid['use-caches'] !== null ? { ok: true, value: valid['use-caches'] } : configUseCaches(graph);
  if (!useCaches.ok) return { ok: false, diagnostics: [], config: useCaches.diagnostic };
  return {
    ok: true,
    run: {
      command: valid.command,
      execWith: valid['exec-with'] ?? 'bash',
      checkout: valid.checkout ?? true,
      workdir: valid.workdir ?? DEFAULT_WORKDIR,
      ...(valid.cwd !== undefined ? { cwd: valid.cwd } : {}),
      useCaches: useCaches.value,
      ...(valid['run-task-command'] !== undefined ? { runTaskCommand: valid['run-task-command'] } : {}),
      runAsRoot: valid['run-as-root'] === true,
    },
    warnings: problems,
  };
}

type UseCachesResult = { ok: true; value: boolean | string[] } | { ok: false; diagnostic: Diagnostic };

const configCache = new WeakMap<LoadedGraph, UseCachesResult>();

/** config.yml `taskgraph.run.use-caches`, checked once per graph; `[checkout]` when absent. */
export function configUseCaches(graph: LoadedGraph): UseCachesResult {
  let result = configCache.get(graph);
  if (result) return result;
  const taskgraph = graph.config.taskgraph;
  const runConfig = isRecord(taskgraph) ? taskgraph.run : undefined;
  const value = isRecord(runConfig) ? runConfig['use-caches'] : undefined;
  const path = ['taskgraph', 'run', 'use-caches'];
  const allowed: readonly string[] = RUN_CACHES;
  if (runConfig !== undefined && !isRecord(runConfig)) {
    result = bad(['taskgraph', 'run'], 'taskgraph.run must be a map', 'a map with `use-caches`');
  } else if (value === undefined) {
    result = { ok: true, value: [...DEFAULT_USE_CACHES] };
  } else if (typeof value === 'boolean') {
    result = { ok: true, value };
  } else if (Array.isArray(value)) {
    const wrong = value.findIndex((v) => typeof v !== 'string' || !allowed.includes(v));
    result =
      wrong === -1
        ? { ok: true, value: value as string[] }
        : bad([...path, wrong], `${JSON.stringify(value[wrong])} is not a cache run-task knows`, `one of: ${allowed.join(', ')}`);
  } else {
    result = bad(path, 'use-caches must be true, false or a list of cache names', `true, false or a list of: ${allowed.join(', ')}`);
  }
  configCache.set(graph, result);
  return result;

  function bad(at: (string | number)[], message: string, expected: string): UseCachesResult {
    return { ok: false, diagnostic: { severity: 'error', message, path: at, location: graph.configSource.locate(at), expected } };
  }
}
