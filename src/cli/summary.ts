// `generate --summary`: what a reviewer wants to see of a graph at a glance —
// how many tasks each kind made, where each task runs, which caches and
// volumes it mounts, and every warning.
import { payloadCacheMap } from '../transform/payload/docker-worker.js';
import { ENV_VOLUMES, splitPathList } from '../contract.js';
import { formatDiagnostic, type Diagnostic } from '../transform/diagnostics.js';
import type { GeneratedTask, Parameters } from '../transform/model.js';

interface Mount {
  kind: 'cache' | 'volume';
  name?: string;
  path: string;
}

export function formatSummary(tasks: readonly GeneratedTask[], params: Parameters, warnings: readonly Diagnostic[]): string {
  const byKind = new Map<string, GeneratedTask[]>();
  for (const task of tasks) {
    const list = byKind.get(task.kind) ?? [];
    list.push(task);
    byKind.set(task.kind, list);
  }
  const lines: string[] = [];
  lines.push(
    `${tasks.length} task${tasks.length === 1 ? '' : 's'} in ${byKind.size} kind${byKind.size === 1 ? '' : 's'}` +
      ` (level ${params.level}, project ${params.project}, tasks-for ${params.tasks_for || '(none)'})`,
  );
  for (const [kind, kindTasks] of byKind) {
    lines.push('', `${kind}: ${kindTasks.length} task${kindTasks.length === 1 ? '' : 's'}`);
    for (const task of kindTasks) {
      const def = task.task as { provisionerId?: string; workerType?: string };
      lines.push(`  ${task.label}  [${task.workerImplementation} ${def.provisionerId ?? '?'}/${def.workerType ?? '?'}]`);
      for (const mount of mountsOf(task)) {
        lines.push(
          mount.kind === 'cache' ? `      cache   ${mount.path}  (${mount.name})` : `      volume  ${mount.path}`,
        );
      }
    }
  }
  if (warnings.length > 0) {
    lines.push('', `${warnings.length} warning${warnings.length === 1 ? '' : 's'}:`);
    for (const w of warnings) lines.push(`  ${formatDiagnostic(w)}`);
  }
  return lines.join('\n') + '\n';
}

function mountsOf(task: GeneratedTask): Mount[] {
  const payload = (task.task.payload ?? {}) as Record<string, unknown>;
  const mounts: Mount[] = [];
  if (task.workerImplementation === 'docker-worker') {
    const cache = payloadCacheMap(payload) as Record<string, string>;
    for (const [name, path] of Object.entries(cache)) mounts.push({ kind: 'cache', name, path });
    const env = (payload.env ?? {}) as Record<string, unknown>;
    const volumes = env[ENV_VOLUMES];
    if (typeof volumes === 'string') for (const path of splitPathList(volumes)) mounts.push({ kind: 'volume', path });
  } else {
    for (const mount of (payload.mounts ?? []) as Record<string, unknown>[]) {
      if (typeof mount.cacheName === 'string') {
        mounts.push({ kind: 'cache', name: mount.cacheName, path: String(mount.directory) });
      }
    }
  }
  return mounts.sort((a, b) => a.kind.localeCompare(b.kind) || a.path.localeCompare(b.path));
}
