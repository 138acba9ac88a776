// Where run-task's checkouts and tool caches live on each worker
// implementation (taskgraph's get_checkout_dir and support_vcs_checkout).
// docker-worker paths are absolute under the task's workdir; generic-worker
// paths are relative to the task directory, which the worker creates afresh
// for every task.
// generic-worker on Windows has a layout of its own (taskgraph's `build/src`, `y:/hg-shared`).
export type RunImplementation = 'docker-worker' | 'generic-worker' | 'generic-worker-windows';

export const DEFAULT_WORKDIR = '/builds/worker';

export interface RunLayout {
  /** Mount point of the checkout cache. */
  checkoutDir: string;
  /** `VCS_PATH`: where the repositories are cloned. */
  vcsPath: string;
  /** `HG_STORE_PATH`: Mercurial's shared store, inside the checkout cache. */
  hgStorePath: string;
  /** Parent of the tool caches (`<base>/<name>`). */
  toolCacheDir: string;
}

export function runLayout(implementation: RunImplementation, workdir: string): RunLayout {
  if (implementation === 'docker-worker') {
    const checkoutDir = `${workdir}/checkouts`;
    return { checkoutDir, vcsPath: `${checkoutDir}/vcs`, hgStorePath: `${checkoutDir}/hg-store`, toolCacheDir: `${workdir}/.task-cache` };
  }
  if (implementation === 'generic-worker-windows') {
    return { checkoutDir: 'build', vcsPath: 'build/src', hgStorePath: 'y:/hg-shared', toolCacheDir: '.task-cache' };
  }
  return { checkoutDir: 'checkouts', vcsPath: 'checkouts/vcs', hgStorePath: 'checkouts/hg-shared', toolCacheDir: '.task-cache' };
}

/** Python's posixpath.join for two parts: an absolute second part wins; an empty one leaves a trailing `/`. */
export function joinPath(base: string, part: string): string {
  if (part.startsWith('/')) return part;
  if (base === '' || base.endsWith('/')) return base + part;
  return `${base}/${part}`;
}

/** Python's posixpath.normpath: `.` and `..` resolved, no trailing or doubled `/`. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part === '..' && absolute) continue;
    else parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
