// Command-line parsing for tc-payload. Mistakes in the command line are usage
// errors: they name the option and point at --help, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_LIMITS, type Limits } from '../transform/load/limits.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface GenerateArgs {
  command: 'generate';
  root: string;
  paramsFile?: string;
  overrides: Record<string, string>;
  output?: string;
  summary: boolean;
  resolve: boolean;
  seed?: string;
  taskGroupId?: string;
  rootUrl?: string;
  /** Threads to generate with; undefined: one per two cores, for a tree large enough to gain. */
  jobs?: number;
  /** Directory for the decision task's artifacts: docker contexts go to <dir>/docker-contexts/. */
  writeArtifacts?: string;
  /** The limits given on the command line (the rest keep their defaults). */
  limits: Partial<Limits>;
  debug: boolean;
}

export interface LintArgs {
  command: 'lint';
  root: string;
  paramsFiles: string[];
  /** --graph files or directories: lint these task graphs instead of the tree. */
  graphs: string[];
  overrides: Record<string, string>;
  format: 'human' | 'json' | 'sarif';
  strict: boolean;
  limits: Partial<Limits>;
  debug: boolean;
}

export type Args =
  | GenerateArgs
  | LintArgs
  | { command: 'help'; topic?: string }
  /** No command at all: the usage goes to standard error, and the exit status is 2. */
  | { command: 'usage' }
  | { command: 'version' };

const MiB = 1024 * 1024;

export const USAGE = `Usage: tc-payload <command> [options]

Commands:
  generate   Turn a taskgraph-style tree into Taskcluster task definitions.
  lint       Check a tree for invalid definitions and cache conflicts (docs/lint.md).

Options of generate:
  --root DIR          the taskgraph root: config.yml, kinds/, docker/ (default: taskcluster)
  --params FILE       parameters (YAML or JSON); see the README for the defaults
  -p, --parameter K=V override one parameter (repeatable); V is read as a YAML scalar
  --output FILE       write the JSON to FILE (replaced only when generation succeeds)
                      instead of standard output
  --summary           print a readable summary (tasks per kind, caches, volumes,
                      warnings) instead of JSON
  --resolve           output taskId -> task definition, ready for the queue's createTask,
                      with every task-reference and artifact-reference resolved
  --seed TEXT         with --resolve: derive task ids from TEXT, so that the same inputs
                      give byte-identical output
  --task-group-id ID  with --resolve: the task group (decision task) id
  --root-url URL      with --resolve: Taskcluster root URL for artifact references
                      (default: $TASKCLUSTER_ROOT_URL)
  -j, --jobs N        generate the JSON output with up to N threads, kinds shared out
                      between them (default: one per two cores, for trees of more
                      than 256 KiB of YAML per thread; 1: one thread); same output;
                      --summary, --resolve and --write-artifacts use one thread
  --write-artifacts DIR
                      also write each in-tree image's docker context, the file its
                      image task downloads from the decision task, to
                      DIR/docker-contexts/<image>.tar.gz
  --debug             show stack traces of internal errors

Limits (generate and lint; each a located error when exceeded; docs/limits.md):
  --max-file-size N       bytes of one YAML or parameters file (default ${DEFAULT_LIMITS.maxFileBytes / MiB}M)
  --max-yaml-depth N      nesting depth of one YAML document (default ${DEFAULT_LIMITS.maxYamlDepth})
  --max-yaml-nodes N      values in one YAML document, aliases expanded (default ${DEFAULT_LIMITS.maxYamlNodes})
  --max-yaml-aliases N    aliases used in one YAML document (default ${DEFAULT_LIMITS.maxYamlAliases})
  --max-output-size N     bytes of generate's output (default ${Math.floor(DEFAULT_LIMITS.maxOutputBytes / MiB)}M)
  Sizes take a K, M or G suffix (KiB, MiB, GiB).

Options of lint (generates at levels 1 and 3 for each parameter set):
  --root DIR          the taskgraph root (default: taskcluster)
  --params FILE       parameters to lint with (repeatable; default: the repository
                      parameters of the git checkout that contains the root)
  -p, --parameter K=V override one parameter in every run (repeatable);
                      -p level=N lints at that level only
  --graph FILE|DIR    lint a task graph JSON instead of a tree (repeatable):
                      full-task-graph.json, task-graph.json or generate --resolve
  --format FORMAT     human (default), json or sarif
  --strict            exit 1 on warnings too
  --debug             show stack traces of internal errors

Exit status: 0 clean, 1 errors or bad usage (with lint --strict: warnings too),
2 internal error, or no command given.

  -h, --help          show this help
  --version           print the version
`;

export function parseCommandLine(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined) return { command: 'usage' };
  if (command === '-h' || command === '--help' || command === 'help') {
    return { command: 'help' };
  }
  if (command === '--version') return { command: 'version' };
  if (command === 'lint') return parseLint(rest);
  if (command !== 'generate') {
    throw new UsageError(`unknown command "${command}"; the commands are: generate, lint`);
  }
  const v = parseOptions(rest, {
    params: { type: 'string' },
    output: { type: 'string', short: 'o' },
    summary: { type: 'boolean' },
    resolve: { type: 'boolean' },
    seed: { type: 'string' },
    'task-group-id': { type: 'string' },
    'root-url': { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    'write-artifacts': { type: 'string' },
  });
  if (v.help) return { command: 'help', topic: 'generate' };
  if (v.summary && v.resolve) throw new UsageError('--summary and --resolve do not go together: choose one');
  if (v['write-artifacts'] === '') throw new UsageError('--write-artifacts needs a directory');
  if (v.seed === '') {
    throw new UsageError('--seed needs a non-empty text: the same seed gives the same task ids (was it given an unset variable, such as "$DECISION_TASK_ID"?)');
  }
  for (const only of ['seed', 'task-group-id', 'root-url'] as const) {
    if (v[only] !== undefined && !v.resolve) throw new UsageError(`--${only} only makes sense with --resolve`);
  }
  return {
    command: 'generate',
    root: v.root ?? 'taskcluster',
    paramsFile: v.params,
    overrides: parseOverrides(v.parameter ?? []),
    output: v.output,
    summary: v.summary ?? false,
    resolve: v.resolve ?? false,
    seed: v.seed,
    taskGroupId: v['task-group-id'],
    rootUrl: v['root-url'] ?? process.env.TASKCLUSTER_ROOT_URL,
    jobs: v.jobs === undefined ? undefined : parseJobs(v.jobs),
    writeArtifacts: v['write-artifacts'],
    limits: parseLimits(v),
    debug: v.debug ?? false,
  };
}

function parseJobs(text: string): number {
  if (!/^[1-9]\d{0,2}$/.test(text)) throw new UsageError(`--jobs takes a number of threads from 1 to 999, not "${text}"`);
  return Number(text);
}

const FORMATS = ['human', 'json', 'sarif'] as const;

function parseLint(rest: readonly string[]): Args {
  const v = parseOptions(rest, {
    params: { type: 'string', multiple: true },
    graph: { type: 'string', multiple: true },
    format: { type: 'string' },
    strict: { type: 'boolean' },
  });
  if (v.help) return { command: 'help', topic: 'lint' };
  if (v.graph !== undefined) {
    if (v.graph.some((g) => g === '')) throw new UsageError('--graph needs a file or directory');
    const tree = (['root', 'params', 'parameter'] as const).find((o) => v[o] !== undefined);
    if (tree !== undefined) throw new UsageError(`--graph lints task graphs that are already made, and does not go with --${tree}: choose one`);
  }
  const format = v.format ?? 'human';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  }
  return {
    command: 'lint',
    root: v.root ?? 'taskcluster',
    paramsFiles: v.params ?? [],
    graphs: v.graph ?? [],
    overrides: parseOverrides(v.parameter ?? []),
    format: format as LintArgs['format'],
    strict: v.strict ?? false,
    limits: parseLimits(v),
    debug: v.debug ?? false,
  };
}

/** The options both commands take. */
const COMMON_OPTIONS = {
  root: { type: 'string' },
  parameter: { type: 'string', short: 'p', multiple: true },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'max-file-size': { type: 'string' },
  'max-yaml-depth': { type: 'string' },
  'max-yaml-nodes': { type: 'string' },
  'max-yaml-aliases': { type: 'string' },
  'max-output-size': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

type LimitValues = { [K in 'max-file-size' | 'max-yaml-depth' | 'max-yaml-nodes' | 'max-yaml-aliases' | 'max-output-size']?: string };

function parseLimits(v: LimitValues): Partial<Limits> {
  const limits: Partial<Limits> = {};
  const size = (option: keyof LimitValues, key: keyof Limits, units: boolean): void => {
    const text = v[option];
    if (text === undefined) return;
    const match = /^([1-9]\d{0,15})([KMG]?)$/i.exec(text);
    const unit = match?.[2] ? 1024 ** ('KMG'.indexOf(match[2].toUpperCase()) + 1) : 1;
    const value = match ? Number(match[1]) * unit : NaN;
    if (!match || (!units && match[2]) || !Number.isSafeInteger(value)) {
      throw new UsageError(`--${option} takes a whole number above 0${units ? ' (with an optional K, M or G suffix)' : ''}, not "${text}"`);
    }
    limits[key] = value;
  };
  size('max-file-size', 'maxFileBytes', true);
  size('max-yaml-depth', 'maxYamlDepth', false);
  size('max-yaml-nodes', 'maxYamlNodes', false);
  size('max-yaml-aliases', 'maxYamlAliases', false);
  size('max-output-size', 'maxOutputBytes', true);
  return limits;
}

/** parseArgs with the common options; its mistakes become usage errors. */
function parseOptions<T extends ParseArgsOptionsConfig>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], allowPositionals: false, strict: true, options: { ...COMMON_OPTIONS, ...options } })
      .values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseOverrides(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`-p expects KEY=VALUE, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
