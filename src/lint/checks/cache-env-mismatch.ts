// run-task validates, records and may purge exactly the paths TASKCLUSTER_CACHES
// lists (DESIGN.md, the cache protocol). For a run-task command the generator
// writes it from the payload's caches; in a graph made by other tools, or
// edited, the two can disagree: a mounted cache missing from the list is
// shared unchecked, and a listed path that is no cache is treated as one. In a
// tree the generator writes the variable, and one set by hand is reported at
// its line by taskcluster-env-set-by-hand: this check is for graph files.
import { ENV_CACHES, isRunTaskCommand, splitPathList } from '../../contract.js';
import type { Finding } from '../finding.js';
import { RULES } from '../rules.js';
import type { TaskFacts } from '../task-facts.js';
import { isRecord } from '../../transform/plain-data.js';
import { normalizeDir } from './paths.js';

export function checkCacheEnvMismatch(tasks: readonly TaskFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const facts of tasks) {
    if (facts.loaded || facts.task.workerImplementation !== 'docker-worker' || !facts.runTask) continue;
    const payload = isRecord(facts.task.task.payload) ? facts.task.task.payload : {};
    const env = isRecord(payload.env) ? payload.env : {};
    const listed = env[ENV_CACHES];
    // Without the variable run-task checks nothing: cache-without-run-task's concern, not a mismatch.
    if (typeof listed !== 'string' || !isRunTaskCommand(Array.isArray(payload.command) ? payload.command : [])) continue;
    const inEnv = new Set(splitPathList(listed).map(normalizeDir));
    const mounted = new Set(facts.caches.map((c) => normalizeDir(c.mountPoint)));
    const missing = [...mounted].filter((p) => !inEnv.has(p)).sort();
    const extra = [...inEnv].filter((p) => !mounted.has(p)).sort();
    if (missing.length === 0 && extra.length === 0) continue;
    const what = [
      missing.length ? `mounts caches at ${missing.join(', ')} that it does not list (run-task shares them unchecked)` : '',
      extra.length ? `lists ${extra.join(', ')}, where no cache is mounted (run-task treats ${extra.length === 1 ? 'it as a cache' : 'them as caches'})` : '',
    ].filter(Boolean);
    const path = ['payload', 'env', ENV_CACHES];
    const source = facts.task.source;
    findings.push({
      rule: RULES.cacheEnvMismatch.id,
      severity: RULES.cacheEnvMismatch.severity,
      message: `task ${facts.task.label}: ${ENV_CACHES} does not match its caches: it ${what.join(', and ')}`,
      location: source.locate(path),
      path,
      task: facts.task.label,
      expected: `${ENV_CACHES} listing exactly the mount points of payload.cache: ${[...mounted].sort().join(';') || '(none)'}`,
      hint: 'let the generator write it (declare the caches under worker.caches, set no TASKCLUSTER_* variable by hand), or correct the tool that made the graph',
      related: [],
      configurations: [],
    });
  }
  return findings;
}
