// Parameters: the --params file, then `-p key=value` overrides, then
// taskgraph's documented defaults (taskgraph/parameters.py _get_defaults) for
// whatever is still missing. Values that taskgraph reads from the repository
// come from the caller's `defaults` (the checkout, when no parameters file is
// given: checkout-parameters.ts), else default to empty strings (and
// `project` to the last part of `head_repository`).
import { existsSync } from 'node:fs';
import { yamlPackage } from '../lazy-packages.js';
import { DiagnosticsError, type Diagnostic, type Location, type YamlPath } from '../diagnostics.js';
import type { Parameters, SourceMap } from '../model.js';
import { parseRepositoryParameter } from '../repository-parameters.js';
import { validateValue } from '../validate/validate-schema.js';
import { allowedRepositoryParameters, checkRepositoryParameters } from './check-repository-parameters.js';
import { locateKey, type KeyedSourceMap } from './source-map.js';
import { plainValue, TEXT } from './yaml11-scalars.js';
import { parseYamlFile } from './yaml-document.js';
import { isRecord } from '../plain-data.js';

/** Parameters that taskgraph keeps as strings even when they look like numbers (`level: 3`). */
const STRING_PARAMETERS = new Set([
  'base_ref', 'base_repository', 'base_rev', 'head_ref', 'head_repository', 'head_rev', 'head_tag', 'level',
  'moz_build_date', 'next_version', 'owner', 'project', 'pushlog_id', 'repository_type', 'target_tasks_method',
  'tasks_for', 'trust_domain', 'version',
]);

/** A per-repository parameter is a string like its unprefixed one (`tools_head_rev: 1234567`). */
const isStringParameter = (key: string): boolean => STRING_PARAMETERS.has(key) || parseRepositoryParameter(key) !== undefined;

export interface LoadedParameters {
  params: Parameters;
  source: SourceMap;
}

export interface ParameterContext {
  /**
   * config.yml `taskgraph.repositories` (`{}` when it has none): the
   * repositories per-repository parameters may name. Left out when config.yml
   * could not be read, so that its error is not repeated for each of them.
   */
  repositories?: Readonly<Record<string, unknown>>;
  /**
   * config.yml has `taskgraph: register:`: the tree's own Python code runs in
   * taskgraph and may declare parameters this tool cannot know of.
   */
  registersCode?: boolean;
  /** Parameters of the tree's own (declared by its `register`): allowed, given defaults and checked by `extra`. */
  extra?: ExtraParameters;
  /** Seconds since the epoch, for the default build_date. */
  now?: () => number;
  /** Defaults that go before taskgraph's (the checkout's repository parameters: checkout-parameters.ts). */
  defaults?: Readonly<Record<string, unknown>>;
}

/** Parameters beyond taskgraph's, with their own defaults and checks (plugins/plugin-parameters.ts). */
export interface ExtraParameters {
  names: ReadonlySet<string>;
  /** Fills in the defaults of `names` in `params` and checks their values; problems are located with `source`. */
  complete(params: Record<string, unknown>, source: SourceMap): Diagnostic[];
}

export function loadParameters(
  paramsFile: string | undefined,
  overrides: Record<string, string> | undefined,
  diagnostics: Diagnostic[],
  context: ParameterContext = {},
): LoadedParameters {
  const now = context.now ?? (() => Math.floor(Date.now() / 1000));
  let given: Record<string, unknown> = {};
  let fileSource: SourceMap | undefined;
  if (paramsFile !== undefined) {
    if (!existsSync(paramsFile)) {
      diagnostics.push({
        severity: 'error',
        message: `parameters file ${paramsFile} does not exist`,
        hint: 'give an existing YAML or JSON file with --params, or leave --params out to use the defaults',
      });
    } else {
      try {
        const parsed = parseYamlFile(paramsFile);
        diagnostics.push(...parsed.warnings);
        fileSource = parsed.source;
        if (isRecord(parsed.value)) given = { ...parsed.value };
        else if (parsed.value !== null && parsed.value !== undefined) {
          diagnostics.push({
            severity: 'error',
            message: 'a parameters file must be a map of parameter names to values',
            path: [],
            location: parsed.source.locate([]),
          });
        }
      } catch (error) {
        if (!(error instanceof DiagnosticsError)) throw error;
        diagnostics.push(...error.diagnostics);
      }
    }
  }
  const overridden = new Map<string, string>();
  for (const [key, text] of Object.entries(overrides ?? {})) {
    given[key] = parseScalar(text);
    overridden.set(key, text);
  }
  for (const key of Object.keys(given)) {
    const value = given[key];
    if (isStringParameter(key) && (typeof value === 'number' || typeof value === 'boolean')) given[key] = String(value);
  }
  const commandLine = (path: YamlPath): Location | undefined => {
    const key = path[0];
    if (typeof key !== 'string' || !overridden.has(key)) return undefined;
    return { file: `<command line: -p ${key}=${overridden.get(key)}>`, line: 1, column: 1 };
  };
  const source: KeyedSourceMap = {
    locate: (path) => commandLine(path) ?? fileSource?.locate(path),
    locateKey: (path) => commandLine(path) ?? (fileSource ? locateKey(fileSource, path) : undefined),
  };
  const repositories = context.repositories;
  const params = withDefaults({ ...context.defaults, ...given }, now);
  const extra = context.extra;
  const rootKeys = [...(repositories ? allowedRepositoryParameters(repositories, String(params.project)) : []), ...(extra?.names ?? [])];
  for (const diagnostic of validateValue('parameters', given, source, [], { rootKeys })) {
    const unknownParameter = diagnostic.path?.length === 1 && diagnostic.message.startsWith('unknown key');
    if (unknownParameter && extra?.names.has(String(diagnostic.path![0]))) continue;
    if (unknownParameter && context.registersCode) {
      const name = String(diagnostic.path![0]);
      diagnostics.push({
        ...diagnostic,
        severity: 'warning',
        message: `parameter "${name}" is not one taskgraph declares; accepted because config.yml's taskgraph.register runs the tree's own code, which may declare it`,
        expected: undefined,
      });
    } else {
      diagnostics.push(diagnostic);
    }
  }
  if (extra) diagnostics.push(...extra.complete(params, source));
  if (repositories !== undefined) diagnostics.push(...checkRepositoryParameters(params, source, repositories));
  return { params, source };
}

/**
 * `-p key=value`: the value is read as a YAML 1.1 scalar, as in a parameters
 * file (`3` → 3, `yes` → true, `a b` → "a b"); a quoted one is the text inside
 * the quotes; one that reads as null stays the text written.
 */
function parseScalar(text: string): unknown {
  if (/^\s*['"]/.test(text)) {
    try {
      const value: unknown = yamlPackage().parse(text);
      return typeof value === 'string' ? value : text;
    } catch {
      return text;
    }
  }
  const value = plainValue(text.trim());
  return value === TEXT || value === null ? text : value;
}

function withDefaults(given: Record<string, unknown>, now: () => number): Parameters {
  const buildDate = typeof given.build_date === 'number' ? given.build_date : now();
  const headRepository = typeof given.head_repository === 'string' ? given.head_repository : '';
  const headRev = typeof given.head_rev === 'string' ? given.head_rev : '';
  const defaults: Record<string, unknown> = {
    base_repository: headRepository,
    base_ref: '',
    base_rev: '',
    build_date: buildDate,
    build_number: 1,
    do_not_optimize: [],
    enable_always_target: true,
    existing_tasks: {},
    files_changed: [],
    filters: ['target_tasks_method'],
    head_ref: headRev,
    head_repository: headRepository,
    head_rev: headRev,
    head_tag: '',
    level: '3',
    moz_build_date: mozBuildDate(buildDate),
    next_version: null,
    optimize_strategies: null,
    optimize_target_tasks: true,
    owner: 'nobody@mozilla.com',
    project: projectOf(headRepository),
    pushdate: buildDate,
    pushlog_id: '0',
    repository_type: 'git',
    target_tasks_method: 'default',
    tasks_for: '',
    version: null,
  };
  return { ...defaults, ...given } as Parameters;
}

/** `YYYYMMDDhhmmss` in UTC: the same build date always gives the same value. */
export function mozBuildDate(buildDate: number): string {
  return new Date(buildDate * 1000).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

function projectOf(repository: string): string {
  const last = repository.replace(/\/+$/, '').split(/[/:]/).at(-1) ?? '';
  return last.replace(/\.git$/, '');
}
