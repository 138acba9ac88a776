// Caches are validated and recorded (.cacherequires, .cachelog) only by
// run-task. A cache of any other command is shared blindly.
import type { Location } from '../../transform/diagnostics.js';
import { relatedAt, type Finding } from '../finding.js';
import { RULES } from '../rules.js';
import { cacheLocation, type TaskFacts } from '../task-facts.js';

/** A related place only when it is another place: a graph file's task has one location for everything. */
function elsewhere(location: Location | undefined, at: Location | undefined, message: string) {
  const same = location && at && location.file === at.file && location.line === at.line && location.column === at.column;
  return same ? [] : relatedAt(location, message);
}

export function checkCacheWithoutRunTask(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const facts of tasks) {
    if (facts.task.workerImplementation !== 'docker-worker' || facts.runTask || facts.caches.length === 0) continue;
    const first = facts.caches[0]!;
    const source = facts.loaded?.source ?? facts.task.source;
    findings.push({
      rule: RULES.cacheWithoutRunTask.id,
      severity: RULES.cacheWithoutRunTask.severity,
      message: `task ${facts.task.label} mounts caches at ${facts.caches.map((c) => c.mountPoint).join(', ')}, but its command does not start with run-task, so nothing validates or records these caches`,
      location: cacheLocation(first),
      path: first.path,
      task: facts.task.label,
      hint: 'start the command with run-task (`[/usr/local/bin/run-task, --, ...]`) or drop the caches',
      related: elsewhere(source.locate(['worker', 'command']), cacheLocation(first), 'the command'),
      configurations: [],
    });
  }
  return findings;
}
