// A task of a graph file as the checks see it: the same TaskFacts a tree's
// generated task gives, located by the task's metadata.source (a URL of its
// definition in the repository) or, without one, by the graph file.
import type { Location } from '../../transform/diagnostics.js';
import type { GeneratedTask, SourceMap } from '../../transform/model.js';
import { isRecord } from '../../transform/plain-data.js';
import { taskFacts, type TaskFacts } from '../task-facts.js';
import type { GraphEntry } from './graph-forms.js';
import { taskLevel } from './task-level.js';

/** taskgraph tags each task with its worker implementation; without the tag, the payload tells. */
function workerImplementation(definition: Record<string, unknown>): string {
  const tags = isRecord(definition.tags) ? definition.tags : {};
  if (typeof tags['worker-implementation'] === 'string') return tags['worker-implementation'];
  const payload = isRecord(definition.payload) ? definition.payload : {};
  if (payload.image !== undefined || payload.cache !== undefined) return 'docker-worker';
  const command = payload.command;
  if (Array.isArray(payload.mounts) || (Array.isArray(command) && Array.isArray(command[0])) || payload.osGroups !== undefined) return 'generic-worker';
  return 'unknown';
}

export function graphTaskLocation(definition: Record<string, unknown>, file: string): Location {
  const metadata = isRecord(definition.metadata) ? definition.metadata : {};
  const source = typeof metadata.source === 'string' && metadata.source !== '' ? metadata.source : file;
  return { file: source, line: 1, column: 1 };
}

export function graphTaskFacts(entry: GraphEntry, file: string): TaskFacts {
  const location = graphTaskLocation(entry.definition, file);
  const source: SourceMap = { locate: () => location };
  const task: GeneratedTask = {
    kind: entry.kind,
    label: entry.label,
    attributes: entry.attributes,
    dependencies: entry.dependencies,
    optimization: null,
    task: entry.definition,
    workerImplementation: workerImplementation(entry.definition),
    source,
    warnings: [],
  };
  const level = taskLevel(entry.definition);
  const tags = isRecord(entry.definition.tags) ? entry.definition.tags : {};
  const trustDomain = typeof tags['trust-domain'] === 'string' ? tags['trust-domain'] : undefined;
  const namePrefix = trustDomain !== undefined && level !== undefined ? `${trustDomain}-level-${level}-` : undefined;
  const facts = taskFacts(task, undefined, namePrefix);
  if (level !== undefined) facts.level = level;
  return facts;
}
