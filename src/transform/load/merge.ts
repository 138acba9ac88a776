// `task-defaults` merging, with taskgraph's semantics (util/templates.merge):
// the task wins; maps merge recursively; lists concatenate, defaults first;
// a `{by-…: …}` value in the task replaces the default outright rather than
// being merged into it (merging keyed-by maps would mix alternatives).
import type { Location, YamlPath } from '../diagnostics.js';
import type { SourceMap } from '../model.js';
import { locateKey, type KeyedSourceMap } from './source-map.js';
import { isRecord } from '../plain-data.js';

type Json = unknown;

export function isKeyedBy(value: unknown): boolean {
  if (!isRecord(value)) return false;
  // Asked of every map of every task: stop at the second key rather than list them all.
  let only: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (only !== undefined) return false;
    only = key;
  }
  return only !== undefined && only.startsWith('by-');
}

/** How the task's value and the default's value for one key combine. */
type Combination = 'task' | 'defaults' | 'maps' | 'lists';

function combine(defaultValue: Json, taskValue: Json, inTask: boolean, inDefaults: boolean): Combination {
  if (!inTask) return 'defaults';
  if (!inDefaults) return 'task';
  if (isKeyedBy(taskValue)) return 'task';
  if (isRecord(taskValue) && isRecord(defaultValue)) return 'maps';
  if (Array.isArray(taskValue) && Array.isArray(defaultValue)) return 'lists';
  return 'task';
}

/** A new object: `defaults` with `task` merged over it. Neither input is modified. */
export function mergeDefaults(defaults: Record<string, unknown>, task: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    if (!Object.hasOwn(task, key)) out[key] = cloneJson(defaults[key]);
  }
  for (const key of Object.keys(task)) {
    const inDefaults = Object.hasOwn(defaults, key);
    const how = combine(defaults[key], task[key], true, inDefaults);
    if (how === 'maps') {
      out[key] = mergeDefaults(defaults[key] as Record<string, unknown>, task[key] as Record<string, unknown>);
    } else if (how === 'lists') {
      out[key] = [...(cloneJson(defaults[key]) as unknown[]), ...(task[key] as unknown[])];
    } else {
      out[key] = task[key];
    }
  }
  return out;
}

// Defaults are shared by every task of a kind, so each task gets its own copy
// (transforms may mutate what they are given).
function cloneJson(value: Json): Json {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = cloneJson(value[key]);
    return out;
  }
  return value;
}

/**
 * Positions for a value made by mergeDefaults: each path is followed through
 * the two inputs with the same rules, so it lands in the file the value came
 * from (the task's file, or kind.yml for defaults).
 */
export function mergedSource(
  defaults: Record<string, unknown>,
  defaultsSource: SourceMap,
  task: Record<string, unknown>,
  taskSource: SourceMap,
): SourceMap {
  const resolve = (path: YamlPath): { source: SourceMap; path: YamlPath } => {
    let d: Json = defaults;
    let t: Json = task;
    const dPath: (string | number)[] = [];
    const tPath: (string | number)[] = [];
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (Array.isArray(t) && Array.isArray(d)) {
        const index = Number(segment);
        const rest = path.slice(i + 1);
        if (index < d.length) return { source: defaultsSource, path: [...dPath, index, ...rest] };
        return { source: taskSource, path: [...tPath, index - d.length, ...rest] };
      }
      if (!isRecord(t) || !isRecord(d)) break;
      const key = String(segment);
      const inTask = Object.hasOwn(t, key);
      const inDefaults = Object.hasOwn(d, key);
      if (!inTask && !inDefaults) return { source: taskSource, path: tPath };
      const how = combine(d[key], t[key], inTask, inDefaults);
      const rest = path.slice(i + 1);
      if (how === 'task') return { source: taskSource, path: [...tPath, key, ...rest] };
      if (how === 'defaults') return { source: defaultsSource, path: [...dPath, key, ...rest] };
      d = d[key];
      t = t[key];
      dPath.push(key);
      tPath.push(key);
    }
    return { source: taskSource, path: [...tPath] };
  };
  const merged: KeyedSourceMap = {
    locate: (path): Location | undefined => {
      const target = resolve(path);
      return target.source.locate(target.path);
    },
    locateKey: (path): Location | undefined => {
      const target = resolve(path);
      return locateKey(target.source, target.path);
    },
  };
  return merged;
}
