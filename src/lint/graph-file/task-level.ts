// The trust level a task of a graph file runs at, from the task itself: its
// schedulerId (`<trust-domain>-level-<N>`), MOZ_SCM_LEVEL in its environment,
// or the level its cache names carry (`<trust-domain>-level-<N>-…`).
import { payloadCacheMap } from '../../transform/payload/docker-worker.js';
import { isRecord } from '../../transform/plain-data.js';

export function taskLevel(definition: Record<string, unknown>): string | undefined {
  const scheduler = typeof definition.schedulerId === 'string' ? /-level-(\d+)$/.exec(definition.schedulerId)?.[1] : undefined;
  if (scheduler !== undefined) return scheduler;
  const payload = isRecord(definition.payload) ? definition.payload : {};
  const env = isRecord(payload.env) ? payload.env : {};
  const scm = env.MOZ_SCM_LEVEL;
  if ((typeof scm === 'string' && /^\d+$/.test(scm)) || typeof scm === 'number') return String(scm);
  const names = [
    ...Object.keys(payloadCacheMap(payload)),
    ...(Array.isArray(payload.mounts) ? payload.mounts.map((m) => (isRecord(m) ? m.cacheName : undefined)) : []),
  ];
  for (const name of names) {
    const level = typeof name === 'string' ? /-level-(\d+)-/.exec(name)?.[1] : undefined;
    if (level !== undefined) return level;
  }
  return undefined;
}
