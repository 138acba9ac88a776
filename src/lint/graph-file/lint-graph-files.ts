// `lint --graph`: the checks that need only task definitions, run on task
// graphs that something else made (taskgraph, or generate --resolve). The
// tasks of each file are checked per trust level (each file and level is one
// configuration, like a tree's `params.yml, level 3`); the level check then
// runs over every file together, so that a level-1 and a level-3 graph given
// side by side are checked against each other.
import { basename } from 'node:path';
import { checkCacheLevels, type LevelledCacheUse } from '../checks/cache-levels.js';
import { compareFindings, findingKey, type Finding } from '../finding.js';
import { TASK_CHECKS, type LintResult } from '../lint.js';
import { cacheLocation, type TaskFacts } from '../task-facts.js';
import { graphTaskFacts } from './graph-task-facts.js';
import { readGraphFiles, type GraphFile } from './read-graph-file.js';

function fileNames(files: readonly GraphFile[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { file } of files) {
    const short = basename(file);
    names.set(file, files.filter((f) => basename(f.file) === short).length > 1 ? file : short);
  }
  return names;
}

/** Findings equal but for the configuration become one, listing all. */
function mergeInto(into: Map<string, Finding>, findings: readonly Finding[]): void {
  for (const f of findings) {
    const key = findingKey(f);
    const existing = into.get(key);
    if (!existing) into.set(key, { ...f, configurations: [...f.configurations] });
    else for (const c of f.configurations) if (!existing.configurations.includes(c)) existing.configurations.push(c);
  }
}

export function lintGraphFiles(paths: readonly string[]): LintResult {
  const read = readGraphFiles(paths);
  const names = fileNames(read.files);
  const merged = new Map<string, Finding>();
  mergeInto(merged, read.findings);
  const configurations: string[] = [];
  const levelled: LevelledCacheUse[] = [];
  for (const graph of read.files) {
    const fileName = names.get(graph.file)!;
    // By level, then named: a graph has one or two levels and thousands of tasks.
    const byLevel = new Map<string | undefined, TaskFacts[]>();
    for (const entry of graph.entries) {
      const facts = graphTaskFacts(entry, graph.file);
      const group = byLevel.get(facts.level);
      if (group) group.push(facts);
      else byLevel.set(facts.level, [facts]);
    }
    const groups = new Map([...byLevel].map(([level, tasks]) => [level === undefined ? fileName : `${fileName}, level ${level}`, tasks] as const));
    if (groups.size === 0) groups.set(fileName, []);
    for (const [configuration, tasks] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      configurations.push(configuration);
      for (const check of TASK_CHECKS) mergeInto(merged, check(tasks).map((f) => ({ ...f, configurations: [configuration] })));
      for (const facts of tasks) {
        if (facts.level === undefined) continue;
        for (const cache of facts.caches) {
          levelled.push({
            name: cache.name,
            declaredName: cache.declaredName,
            mountPoint: cache.mountPoint,
            level: facts.level,
            task: facts.task.label,
            location: cacheLocation(cache),
            path: cache.path,
            configuration,
          });
        }
      }
    }
  }
  mergeInto(merged, checkCacheLevels(levelled));
  return { configurations, findings: [...merged.values()].sort(compareFindings), suppressed: [], notes: read.notes };
}
