// A cache used by tasks whose command is run-task and by tasks whose command
// is not: the latter fill it without writing `.cacherequires`, and run-task
// refuses a cache with content but no requirements (exit 72; DESIGN.md, the
// cache protocol). Reported on each task without run-task, the one to change.
import { relatedAt, type Finding } from '../finding.js';
import { RULES } from '../rules.js';
import { cacheLocation, type TaskFacts } from '../task-facts.js';
import { cacheUsesByName } from './cache-uses.js';

export function checkCacheRunTaskMixed(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const uses of cacheUsesByName(tasks).values()) {
    const docker = uses.filter((u) => u.facts.task.workerImplementation === 'docker-worker');
    const withRunTask = docker.find((u) => u.facts.runTask);
    if (!withRunTask) continue;
    for (const use of docker) {
      if (use.facts.runTask) continue;
      const other = withRunTask.facts.task.label;
      findings.push({
        rule: RULES.cacheRunTaskMixed.id,
        severity: RULES.cacheRunTaskMixed.severity,
        message:
          `cache "${use.cache.declaredName}" is used by task ${use.facts.task.label}, whose command is not run-task, and by task ${other}, whose command is; ` +
          `${use.facts.task.label} leaves content without .cacherequires, which run-task in ${other} then refuses (exit 72)`,
        location: cacheLocation(use.cache),
        path: use.cache.path,
        task: use.facts.task.label,
        hint: 'start the command with run-task in every task that mounts this cache, or give the cache a different name here',
        related: relatedAt(cacheLocation(withRunTask.cache), `task ${other} uses it with run-task`),
        configurations: [],
      });
    }
  }
  return findings;
}
