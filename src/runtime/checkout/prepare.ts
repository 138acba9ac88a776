// What a checkout needs from root before privileges are dropped: a place the
// task's user can clone into. Caches are written by earlier (possibly
// untrusted) tasks, so below a cache or volume root no directory is created
// through a symbolic link; above it the paths belong to the image.
import { lchownSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RunTaskExit, reason } from '../failure.js';
import { logLine } from '../log.js';
import type { TaskIdentity } from '../users.js';
import { isInside, type Checkout } from './repositories.js';

export interface PreparedCheckout extends Checkout {
  /** Checkouts inside this one (their paths are kept by its cleaning). */
  nested: string[];
  /** The innermost cache holding the checkout: a clone there outlives the task. */
  cache: string | undefined;
}

export function prepareCheckouts(
  checkouts: readonly Checkout[],
  caches: readonly string[],
  volumes: readonly string[],
  identity: TaskIdentity,
  isRoot: boolean,
): PreparedCheckout[] {
  const cacheRoots = caches.map((c) => resolve(c));
  const volumeRoots = volumes.map((v) => resolve(v));
  for (const checkout of checkouts) refuseCacheInside(checkout, cacheRoots, volumeRoots);
  const innermost = (path: string, roots: readonly string[]) =>
    roots.filter((r) => isInside(path, r)).sort((a, b) => b.length - a.length)[0];
  const prepared: PreparedCheckout[] = [];
  for (const checkout of checkouts) {
    const cache = innermost(checkout.path, cacheRoots);
    const outer = prepared.find((p) => isInside(checkout.path, p.path));
    if (outer) {
      if (outer.path === checkout.path) {
        throw new RunTaskExit(1, 'vcs', [
          `error: --${outer.prefix}-checkout and --${checkout.prefix}-checkout both name ${checkout.path}; give each repository its own path`,
        ]);
      }
      // Its parent is made by the outer clone, as the task's user.
      outer.nested.push(checkout.path);
      logLine('vcs', `${checkout.path} is inside the checkout ${outer.path}; it is set up after it`);
      prepared.push({ ...checkout, nested: [], cache });
      continue;
    }
    const root = innermost(checkout.path, [...cacheRoots, ...volumeRoots]);
    if (root === undefined) {
      logLine('vcs', `warning: checkout ${checkout.path} is in no cache or volume: it is cloned from scratch by every task, ` +
        'and written into the container\'s own file system; mount a cache at (or above) its parent to reuse the clone');
    }
    if (isRoot) makeParent(checkout, root, identity);
    prepared.push({ ...checkout, nested: [], cache });
  }
  return prepared;
}

function refuseCacheInside(checkout: Checkout, caches: readonly string[], volumes: readonly string[]): void {
  for (const [roots, what] of [[caches, 'cache'], [volumes, 'volume']] as const) {
    const hit = roots.find((r) => isInside(r, checkout.path));
    if (hit === undefined) continue;
    const where = hit === checkout.path ? `is the root of the ${what} ${hit}` : `contains the ${what} ${hit}`;
    throw new RunTaskExit(1, 'vcs', [
      `error: checkout ${checkout.path} (--${checkout.prefix}-checkout) ${where}; cleaning the checkout would delete ` +
        (what === 'cache' ? 'the cache\'s .cacherequires and .cachelog' : 'what the volume holds') +
        `. Check out into a directory inside the ${what}, e.g. ${hit}/${checkout.name.replace(/[^A-Za-z0-9._-]/g, '_') || 'src'}`,
    ]);
  }
}

/** Creates the missing directories above the checkout, each given to the task's user. */
function makeParent(checkout: Checkout, root: string | undefined, identity: TaskIdentity): void {
  const missing: string[] = [];
  let found = false;
  // Up to the first existing directory, and up to the cache root for links.
  for (let dir = dirname(checkout.path); dir !== dirname(dir); dir = dirname(dir)) {
    const belowRoot = root !== undefined && isInside(dir, root) && dir !== root;
    if (found && !belowRoot) break;
    let stats;
    try {
      stats = lstatSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotPrepare(checkout, dir, reason(error));
      missing.unshift(dir);
      continue;
    }
    found = true;
    if (stats.isSymbolicLink() && belowRoot) {
      throw cannotPrepare(checkout, dir, `it is a symbolic link inside ${root}, which an earlier task may have planted; ` +
        'run-task does not follow links in caches as root');
    }
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: 0o755 });
      lchownSync(dir, identity.uid, identity.gid);
    } catch (error) {
      throw cannotPrepare(checkout, dir, reason(error));
    }
  }
  if (missing.length > 0) logLine('vcs', `created ${missing.join(', ')} for ${identity.uid}:${identity.gid}`);
}

function cannotPrepare(checkout: Checkout, dir: string, why: string): RunTaskExit {
  return new RunTaskExit(1, 'vcs', [`error: cannot prepare the parent directory of checkout ${checkout.path}: ${dir}: ${why}`]);
}
