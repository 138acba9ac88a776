// Writing the pieces of a run-task setup into the task description's
// `worker` section, in each implementation's spelling: docker-worker takes
// persistent caches and a single argv; generic-worker takes cache mounts,
// a file mount for run-task itself, and a list of commands.
import type { RunCache } from './caches.js';
import type { TaskReference } from './run-description.js';
import { isRecord } from '../../plain-data.js';

export interface RunSetup {
  commandLine: (string | TaskReference)[];
  env: Record<string, string>;
  caches: RunCache[];
  /** docker-worker only: run-task needs the proxy to fetch secrets and artifacts for the checkout. */
  taskclusterProxy: boolean;
}

/** Where generic-worker finds run-task: a public artifact of the decision task (generate --write-artifacts writes it). */
export function decisionArtifactMount(script: string): Record<string, unknown> {
  return { content: { artifact: `public/${script}`, 'task-id': { 'task-reference': '<decision>' } }, file: `./${script}` };
}

function baseWorker(worker: unknown, setup: RunSetup): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(isRecord(worker) ? worker : {}) };
  // The run's variables win over the task's own of the same name, as in taskgraph.
  out.env = { ...(isRecord(out.env) ? out.env : {}), ...setup.env };
  return out;
}

export function dockerWorkerSection(worker: unknown, setup: RunSetup): Record<string, unknown> {
  const out = baseWorker(worker, setup);
  if (setup.taskclusterProxy) out['taskcluster-proxy'] = true;
  if (setup.caches.length) {
    const existing = Array.isArray(out.caches) ? out.caches : [];
    out.caches = [
      ...existing,
      ...setup.caches.map((c) => ({ type: 'persistent', name: c.name, 'mount-point': c.directory, 'skip-untrusted': false })),
    ];
  }
  out.command = setup.commandLine;
  return out;
}

export function genericWorkerSection(worker: unknown, setup: RunSetup, windows = false): Record<string, unknown> {
  const out = baseWorker(worker, setup);
  const mounts: unknown[] = Array.isArray(out.mounts) ? [...out.mounts] : [];
  for (const c of setup.caches) mounts.push({ 'cache-name': c.name, directory: c.directory });
  // Only run-task: it downloads MOZ_FETCHES itself, where taskgraph's run-task
  // calls a fetch-content script mounted beside it.
  mounts.push(decisionArtifactMount('run-task'));
  out.mounts = mounts;
  if (windows) {
    // One batch-file line. With a task reference in it, the whole line becomes
    // one (taskgraph cannot join such a line at all).
    const hasReference = setup.commandLine.some((part) => typeof part !== 'string');
    const line = setup.commandLine.map((part) => (typeof part === 'string' ? (hasReference ? part.replaceAll('<', '<<>') : part) : part['task-reference'])).join(' ');
    out.command = [hasReference ? { 'task-reference': line } : line];
    return out;
  }
  // The file mount does not keep the executable bit.
  out.command = [['chmod', '+x', 'run-task'], setup.commandLine];
  return out;
}
