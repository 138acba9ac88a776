// TASKCLUSTER_* variables are the protocol between the worker, the generator
// and run-task (TASKCLUSTER_CACHES, TASKCLUSTER_VOLUMES, …). One typed by hand
// in a task's env either is overwritten or lies to run-task.
import type { Finding } from '../finding.js';
import { locateKey } from '../../transform/load/source-map.js';
import { RULES } from '../rules.js';
import type { TaskFacts } from '../task-facts.js';
import { isRecord } from '../../transform/plain-data.js';

export function checkTaskclusterEnv(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const facts of tasks) {
    const loaded = facts.loaded;
    const worker = loaded?.value.worker;
    const env = isRecord(worker) ? worker.env : undefined;
    if (!loaded || !isRecord(env)) continue;
    for (const name of Object.keys(env)) {
      if (!name.startsWith('TASKCLUSTER_')) continue;
      const path = ['worker', 'env', name];
      findings.push({
        rule: RULES.taskclusterEnvByHand.id,
        severity: RULES.taskclusterEnvByHand.severity,
        message: `task ${facts.task.label} sets ${name} by hand; TASKCLUSTER_* variables are set by the generator and the worker`,
        location: locateKey(loaded.source, path),
        path,
        task: facts.task.label,
        hint: 'remove it: caches and volumes are declared under worker.caches and worker.volumes, and the generator derives the variables',
        related: [],
        configurations: [],
      });
    }
  }
  return findings;
}
