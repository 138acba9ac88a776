// `--resolve`: turns the generated tasks into taskId → task definition, ready
// for the queue's createTask.
//
// Contract with the stages before (MIDDLE writes the unresolved definitions):
// - References are written as described in ./references.ts: `{"task-reference":
//   "…<name>…"}` and `{"artifact-reference": "<name/path>"}` values anywhere,
//   and `<name>` markers in object keys (e.g. `payload.cache`). A name is a key
//   of the task's `dependencies` (name → label), `self` (the task's own id) or
//   `decision` (the task group id).
// - `task.dependencies` is ABSENT in the unresolved definition; it is set here
//   to the sorted task ids of the task's `dependencies` labels. (`<decision>`
//   is not a dependency.)
// - `task.taskGroupId` may be `{"task-reference": "<decision>"}` or absent; it
//   is set to the task group id either way.
//
// Ids are drawn in a fixed order, so that the same tasks and seed give
// byte-identical output: the task group id first (always drawn, so that task
// ids do not change when `taskGroupId` is given), then one per task in sorted
// label order. The result is keyed in that same order. Every resolved
// definition is checked against the published schemas before it is returned.
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { DiagnosticsError } from '../diagnostics.js';
import type { GeneratedTask } from '../model.js';
import { DECISION, SELF, substituteReferences, type MarkerResolver } from './references.js';
import { SLUGID_PATTERN, slugidGenerator } from './slugid.js';
import { checkTaskDefinition, dependenciesPresent } from './validate-output.js';

export interface ResolveOptions {
  /** Derive every id from this text: same seed, same ids. Without it ids are random. */
  seed?: string;
  /** The task group (decision task) id; generated like the others when absent. */
  taskGroupId?: string;
  /** Taskcluster root URL, needed for artifact references. */
  rootUrl?: string;
}

export function resolveTasks(
  tasks: readonly GeneratedTask[],
  options: ResolveOptions,
): Record<string, Record<string, unknown>> {
  const nextId = slugidGenerator(options.seed);
  const drawnGroupId = nextId();
  if (options.taskGroupId !== undefined && !SLUGID_PATTERN.test(options.taskGroupId)) {
    throw new DiagnosticsError([
      {
        severity: 'error',
        message: `the task group id ${JSON.stringify(options.taskGroupId)} is not a valid task id`,
        expected: 'a slugid: 22 characters of URL-safe base64 encoding a v4 UUID, such as the decision task id',
      },
    ]);
  }
  const taskGroupId = options.taskGroupId ?? drawnGroupId;

  const ordered = [...tasks].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const idOf = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const t of ordered) {
    if (idOf.has(t.label)) {
      diagnostics.push({
        severity: 'error',
        location: t.source.locate([]),
        message: `two tasks have the label ${t.label}; labels must be unique`,
      });
    } else idOf.set(t.label, nextId());
  }
  if (diagnostics.length) throw new DiagnosticsError(diagnostics);

  const rootUrl = checkedRootUrl(options.rootUrl);
  const out: Record<string, Record<string, unknown>> = {};
  for (const t of ordered) {
    const taskId = idOf.get(t.label)!;
    const found: Diagnostic[] = [];
    const definition = resolveOne(t, taskId, taskGroupId, idOf, rootUrl, found);
    if (found.length === 0) found.push(...checkTaskDefinition(t, definition, 'resolved'));
    diagnostics.push(...found);
    out[taskId] = definition;
  }
  if (diagnostics.length) throw new DiagnosticsError(diagnostics);
  return out;
}

function resolveOne(
  t: GeneratedTask,
  taskId: string,
  taskGroupId: string,
  idOf: ReadonlyMap<string, string>,
  rootUrl: string | undefined,
  diagnostics: Diagnostic[],
): Record<string, unknown> {
  const where = t.source.locate([]);
  const fail = (path: YamlPath, message: string, expected?: string): string => {
    diagnostics.push({ severity: 'error', location: where, path: ['task', ...path], message, expected });
    return '';
  };
  const knownNames = () => [...Object.keys(t.dependencies).sort(), SELF, DECISION].map((n) => `<${n}>`).join(', ');

  const idFor = (name: string, path: YamlPath, what: string): string => {
    if (name === SELF) return taskId;
    if (name === DECISION) return taskGroupId;
    if (!Object.hasOwn(t.dependencies, name)) {
      return fail(path, `${t.label}: ${what} <${name}> names no dependency of this task`, `one of: ${knownNames()}`);
    }
    const label = t.dependencies[name]!;
    const id = idOf.get(label);
    if (id === undefined) {
      return fail(
        path,
        `${t.label}: ${what} <${name}> refers to dependency ${name} → ${label}, but there is no task labelled ${label}`,
        'the label of a task in this graph',
      );
    }
    return id;
  };

  const resolver: MarkerResolver = {
    task: (name, path) => idFor(name, path, 'task reference'),
    artifact: (name, artifact, path) => {
      if (artifact === undefined || artifact === '') {
        return fail(path, `${t.label}: artifact reference <${name}> names no artifact`, '<dependency-name/path/of/artifact>');
      }
      if (name === SELF) {
        return fail(path, `${t.label}: artifact reference <${name}/${artifact}>: a task cannot refer to its own artifacts`, `one of: ${knownNames().replace('<self>, ', '')}`);
      }
      const id = idFor(name, path, 'artifact reference');
      if (!id) return '';
      if (rootUrl === undefined) {
        return fail(
          path,
          `${t.label}: artifact reference <${name}/${artifact}> needs the Taskcluster root URL to become a URL`,
          'the root URL, given with --root-url or TASKCLUSTER_ROOT_URL',
        );
      }
      return `${rootUrl}/api/queue/v1/task/${id}/artifacts/${artifact}`;
    },
  };

  // A fresh top level: substituteReferences shares unchanged parts with the input.
  const definition = { ...(substituteReferences(t.task, resolver) as Record<string, unknown>) };
  if (Object.hasOwn(t.task, 'dependencies')) diagnostics.push(dependenciesPresent(t));
  const dependencyIds = new Set<string>();
  for (const [name, label] of Object.entries(t.dependencies)) {
    const id = idOf.get(label);
    if (id === undefined) {
      fail([], `${t.label}: dependency ${name} → ${label} names no task in this graph`, 'the label of a task in this graph');
    } else dependencyIds.add(id);
  }
  definition.dependencies = [...dependencyIds].sort();
  definition.taskGroupId = taskGroupId;
  return definition;
}

function checkedRootUrl(rootUrl: string | undefined): string | undefined {
  if (rootUrl === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(rootUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new DiagnosticsError([
      {
        severity: 'error',
        message: `the Taskcluster root URL ${JSON.stringify(rootUrl)} is not an http(s) URL`,
        expected: 'the root URL of a Taskcluster deployment, such as https://tc.example.com',
      },
    ]);
  }
  return rootUrl.replace(/\/+$/, '');
}
