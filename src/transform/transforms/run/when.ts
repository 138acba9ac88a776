// `when: files-changed` on a task of the run transform: the task runs only when
// one of the files changed, which taskgraph writes as the optimization
// `skip-unless-changed`. The kind's kind.yml (and the task's tasks-from file)
// are added, so that editing the task's own definition runs it too.
import { relative, sep } from 'node:path';
import type { Diagnostic } from '../../diagnostics.js';
import type { LoadedKind, SourceMap } from '../../model.js';
import { isRecord } from '../../plain-data.js';
import { repositoryRoot } from '../metadata-source.js';

export type WhenResult = { ok: true; optimization?: Record<string, unknown> } | { ok: false; diagnostic: Diagnostic };

/** The optimization `when` stands for, or a located error. `graphRoot` is the taskgraph root. */
export function whenToOptimization(value: Record<string, unknown>, source: SourceMap, kind: LoadedKind, graphRoot: string): WhenResult {
  const when = value.when;
  if (when === undefined || when === null || (isRecord(when) && Object.keys(when).length === 0)) return { ok: true };
  const bad = (path: (string | number)[], message: string, expected?: string): WhenResult => ({
    ok: false,
    diagnostic: { severity: 'error', message, path, location: source.locate(path), ...(expected ? { expected } : {}) },
  });
  if (value.optimization !== undefined && value.optimization !== null) {
    return bad(['when'], '"when" and "optimization" cannot both be given: when becomes the task\'s optimization', 'one of them');
  }
  if (!isRecord(when) || Object.keys(when).some((k) => k !== 'files-changed')) {
    return bad(['when'], '"when" takes only files-changed', 'when: {files-changed: [<path or glob>, ...]}');
  }
  const files = when['files-changed'];
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) {
    return bad(['when', 'files-changed'], 'files-changed must be a list of paths or globs', 'a list of strings, relative to the repository root');
  }
  // Relative to the repository root, as the files-changed paths are.
  const kindDir = relative(repositoryRoot(graphRoot), kind.dir).split(sep).join('/');
  const changed = [...(files as string[]), `${kindDir}/kind.yml`];
  const from = value['task-from'];
  if (typeof from === 'string' && from !== 'kind.yml') changed.push(`${kindDir}/${from}`);
  return { ok: true, optimization: { 'skip-unless-changed': changed } };
}
