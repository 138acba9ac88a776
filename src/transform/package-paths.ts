// Files the build-time half reads from its own package (schemas, the runtime
// bundle). Found relative to this module, so they work from a clone, from
// node_modules and from the compiled build/ tree alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the tc-payload package root above ${start}`);
    dir = parent;
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const schemasDir = join(packageRoot, 'schemas');
/** The shipped runtime; its digest is part of every run-task cache name. */
export const runtimeBundlePath = join(packageRoot, 'dist', 'run-task');
/** The shipped fetch-content, which `# %include-run-task` puts into images beside run-task. */
export const fetchContentBundlePath = join(packageRoot, 'dist', 'fetch-content');
