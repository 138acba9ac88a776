// `metadata.source`: a link to the file that defines the task, at the pushed
// revision, in the style of the repository's host.
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Parameters } from '../model.js';

/** The checkout containing `dir` (a `.git` or `.hg` above it), else the directory above the taskgraph root. */
export function repositoryRoot(graphRoot: string): string {
  let dir = graphRoot;
  for (;;) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, '.hg'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(graphRoot);
    dir = parent;
  }
}

/**
 * `<head_repository>/blob/<head_rev>/<path>` for git hosts, and
 * `<head_repository>/file/<head_rev>/<path>` for Mercurial (hg.mozilla.org),
 * as taskgraph links them.
 */
export function sourceUrl(params: Parameters, repoRoot: string, file: string): string {
  const repo = String(params.head_repository).replace(/\/+$/, '');
  const path = relative(repoRoot, file).split(sep).join('/');
  const hg = params.repository_type === 'hg' || repo.startsWith('https://hg.mozilla.org');
  return `${repo}/${hg ? 'file' : 'blob'}/${params.head_rev}/${path}`;
}

/** metadata.source of every task of `kind`: its kind directory at the pushed revision, as taskgraph links it. */
export function metadataSourceFor(graph: { root: string; params: Parameters }, kind: { file: string }): string {
  return sourceUrl(graph.params, repositoryRoot(graph.root), dirname(kind.file));
}
