// One kind: kind.yml validated, its tasks read from `tasks` and `tasks-from`
// files with `task-defaults` merged in, each task with positions in the file it
// was written in (and in kind.yml for what came from the defaults).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DiagnosticsError, formatLocation, type Diagnostic } from '../diagnostics.js';
import type { LoadedKind, LoadedTask, SourceMap } from '../model.js';
import { precompiledCheck, precompiledProperties } from '../validate/precompiled.js';
import { isNear, nearestKey, validateValue } from '../validate/validate-schema.js';
import { mergeDefaults, mergedSource } from './merge.js';
import { subSource } from './source-map.js';
import { leavesRepository } from './tree-paths.js';
import { parseYamlFile } from './yaml-document.js';
import { isRecord } from '../plain-data.js';

/** The loaders that mean "taskgraph's default: tasks from kind.yml, through the transforms". */
export const SUPPORTED_LOADERS = ['taskgraph.loader.default:loader', 'taskgraph.loader.transform:loader'];

/** The kind's `loader:` when it names a module of the repository's own (a plugin, run when the kind is generated). */
export function pluginLoaderOf(kind: { config?: Record<string, unknown> }): string | undefined {
  const loader = kind.config?.loader;
  return typeof loader === 'string' && !loader.startsWith('taskgraph.') ? loader : undefined;
}

/** kind.yml keys of older taskgraph versions, and their current names. */
const LEGACY_KEYS: Record<string, string> = { jobs: 'tasks', 'job-defaults': 'task-defaults', 'jobs-from': 'tasks-from' };

interface Defaults {
  value: Record<string, unknown>;
  source: SourceMap;
}

/** Loads `<kindsDir>/<name>/kind.yml`; problems go to `diagnostics`, and undefined when nothing usable was read. */
export function loadKind(kindsDir: string, name: string, diagnostics: Diagnostic[]): LoadedKind | undefined {
  const dir = join(kindsDir, name);
  const file = join(dir, 'kind.yml');
  const root = dirname(kindsDir);
  const outside = leavesRepository(file, root, `kind.yml of kind "${name}"`);
  if (outside) {
    diagnostics.push(outside);
    return undefined;
  }
  if (!existsSync(file)) {
    diagnostics.push({
      severity: 'error',
      message: `kind directory ${dir} has no kind.yml`,
      hint: existsSync(join(dir, 'kind.yaml')) ? 'rename kind.yaml to kind.yml' : 'add a kind.yml or remove the directory',
    });
    return undefined;
  }
  const parsed = tryParse(file, diagnostics);
  if (!parsed) return undefined;
  const { value, source } = parsed;
  if (!isRecord(value)) {
    diagnostics.push({ severity: 'error', message: 'kind.yml must be a map (tasks, task-defaults, transforms, ...)', path: [], location: source.locate([]) });
    return undefined;
  }
  for (const diagnostic of ignoredKeysOnly(value) ? [] : validateValue('kind', value, source)) {
    const topLevelUnknown = diagnostic.path?.length === 1 && diagnostic.message.startsWith('unknown key');
    if (!topLevelUnknown) {
      diagnostics.push(diagnostic);
      continue;
    }
    // taskgraph ignores top-level keys it does not know (a `meta:` block of
    // YAML anchors is common), and so does this tool; what is said is only
    // for keys that look meant: an older taskgraph's names, and near misses.
    const key = String(diagnostic.path![0]);
    const renamed = Object.hasOwn(LEGACY_KEYS, key) ? LEGACY_KEYS[key] : undefined;
    if (renamed) {
      diagnostics.push({
        ...diagnostic,
        severity: 'warning',
        message: `"${key}" is read only by older taskgraph versions; taskgraph 24 and tc-payload ignore it${key === 'job-defaults' ? '' : ', so its tasks are not generated'}`,
        expected: undefined,
        hint: `rename it to "${renamed}"`,
      });
    } else if (diagnostic.hint) {
      diagnostics.push({ ...diagnostic, severity: 'warning', message: `unknown key "${key}" is ignored, as taskgraph ignores it` });
    }
  }

  const loader = value.loader;
  if (typeof loader === 'string' && loader.startsWith('taskgraph.') && !SUPPORTED_LOADERS.includes(loader)) {
    diagnostics.push({
      severity: 'error',
      message: `loader "${loader}" is not supported`,
      path: ['loader'],
      location: source.locate(['loader']),
      expected: SUPPORTED_LOADERS.join(' or '),
      hint: "taskgraph has no other loaders; a loader of the repository's own is named by its own module (docs/plugins.md)",
    });
  }

  const kindDefaults: Defaults | undefined = isRecord(value['task-defaults'])
    ? { value: value['task-defaults'], source: subSource(source, ['task-defaults']) }
    : undefined;
  const tasks: LoadedTask[] = [];
  const seen = new Map<string, SourceMap>();
  const add = (taskName: string, task: unknown, taskSource: SourceMap, defaults: Defaults | undefined, from: string): void => {
    const earlier = seen.get(taskName);
    if (earlier) {
      diagnostics.push({
        severity: 'error',
        message: `task "${taskName}" is defined twice in kind "${name}" (first at ${formatLocation(earlier.locate([]))})`,
        path: [taskName],
        location: taskSource.locate([]),
        hint: 'rename one of them',
      });
      return;
    }
    seen.set(taskName, taskSource);
    if (!isRecord(task)) {
      if (from === 'kind.yml') return; // the kind schema reports it
      diagnostics.push({
        severity: 'error',
        message: `task "${taskName}" must be a map of task fields`,
        path: [taskName],
        location: taskSource.locate([]),
      });
      return;
    }
    const merged = defaults ? mergeDefaults(defaults.value, task) : { ...task };
    // As taskgraph's loader does: transforms and metadata may want the file.
    merged['task-from'] = from;
    tasks.push({
      kind: name,
      name: taskName,
      value: merged,
      source: defaults ? mergedSource(defaults.value, defaults.source, task, taskSource) : taskSource,
    });
  };

  if (isRecord(value.tasks)) {
    for (const [taskName, task] of Object.entries(value.tasks)) {
      add(taskName, task, subSource(source, ['tasks', taskName]), kindDefaults, 'kind.yml');
    }
  }
  const tasksFrom = value['tasks-from'];
  if (Array.isArray(tasksFrom)) {
    tasksFrom.forEach((relative, index) => {
      if (typeof relative !== 'string') return; // reported by the schema
      const path = resolve(dir, relative);
      if (!existsSync(path)) {
        diagnostics.push({
          severity: 'error',
          message: `tasks-from file "${relative}" does not exist (looked for ${path})`,
          path: ['tasks-from', index],
          location: source.locate(['tasks-from', index]),
          hint: 'paths in tasks-from are relative to the kind directory',
        });
        return;
      }
      const outsideFile = leavesRepository(path, root, `tasks-from file "${relative}"`);
      if (outsideFile) {
        diagnostics.push({ ...outsideFile, path: ['tasks-from', index], location: source.locate(['tasks-from', index]) });
        return;
      }
      const file = tryParse(path, diagnostics);
      if (!file || file.value === null || file.value === undefined) return;
      if (!isRecord(file.value)) {
        diagnostics.push({ severity: 'error', message: `${relative} must be a map of task names to tasks`, path: [], location: file.source.locate([]) });
        return;
      }
      let defaults = kindDefaults;
      const fileDefaults = file.value['task-defaults'];
      if (fileDefaults !== undefined) {
        if (!isRecord(fileDefaults)) {
          diagnostics.push({
            severity: 'error',
            message: 'task-defaults must be a map',
            path: ['task-defaults'],
            location: file.source.locate(['task-defaults']),
          });
        } else {
          const fileDefaultsSource = subSource(file.source, ['task-defaults']);
          defaults = kindDefaults
            ? {
                value: mergeDefaults(kindDefaults.value, fileDefaults),
                source: mergedSource(kindDefaults.value, kindDefaults.source, fileDefaults, fileDefaultsSource),
              }
            : { value: fileDefaults, source: fileDefaultsSource };
        }
      }
      for (const [taskName, task] of Object.entries(file.value)) {
        if (taskName === 'task-defaults') continue;
        add(taskName, task, subSource(file.source, [taskName]), defaults, relative);
      }
    });
  }

  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    name,
    dir,
    file,
    transforms: strings(value.transforms),
    kindDependencies: strings(value['kind-dependencies']),
    config: value,
    configSource: source,
    tasks,
  };
}

function tryParse(file: string, diagnostics: Diagnostic[]): ReturnType<typeof parseYamlFile> | undefined {
  try {
    const parsed = parseYamlFile(file);
    diagnostics.push(...parsed.warnings);
    return parsed;
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    diagnostics.push(...error.diagnostics);
    return undefined;
  }
}

/**
 * Whether kind.yml is valid once its top-level keys that no schema knows are
 * left out, and none of those is one the verbose check would speak of (an
 * older taskgraph's name, a near miss): keys of the kind's own, which its
 * transforms read, are common in real trees, and the verbose check (ajv,
 * compiled on first use) costs about 0.1 s of start-up to say nothing.
 */
function ignoredKeysOnly(value: Record<string, unknown>): boolean {
  const known = precompiledProperties('input', 'kind');
  const check = precompiledCheck('input', 'kind');
  if (!known || !check) return false;
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.some((key) => Object.hasOwn(LEGACY_KEYS, key) || isNear(key, nearestKey(key, known)))) return false;
  return check(unknown.length ? Object.fromEntries(Object.entries(value).filter(([key]) => known.includes(key))) : value);
}
