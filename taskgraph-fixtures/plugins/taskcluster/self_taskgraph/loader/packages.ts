// A kind loader: one test task per package found in the repository (each
// directory under `packages-dir` of kind.yml that has a package.json), with
// the kind's task-defaults, then the tasks kind.yml writes (the default
// loader's tasks), each made to run after every test and every task of the
// kind-dependencies. The port of a Python loader that docs/plugins.md shows.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedTaskDescription, LoaderHelpers, Task } from 'tc-payload';

interface PackageJson {
  name: string;
  scripts?: Record<string, string>;
}

export async function* loader(
  kind: string,
  path: string,
  config: Readonly<Record<string, unknown>>,
  _params: Readonly<Record<string, unknown>>,
  loadedTasks: readonly Task[],
  helpers: LoaderHelpers,
): AsyncGenerator<LoadedTaskDescription> {
  // The repository is the parent of the taskgraph root, two levels above the kind.
  const repository = join(path, '..', '..', '..');
  const dir = join(repository, String(config['packages-dir']));
  const defaults = (config['task-defaults'] ?? {}) as { worker?: Record<string, unknown> };
  const tests: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    let manifest: PackageJson;
    try {
      manifest = JSON.parse(await readFile(join(dir, entry.name, 'package.json'), 'utf8')) as PackageJson;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // not a package
      throw new Error(`${join(dir, entry.name, 'package.json')}: ${(error as Error).message}`);
    }
    if (!manifest.scripts?.test) continue;
    const name = `test-${entry.name}`;
    tests.push(name);
    yield {
      ...defaults,
      name,
      description: `run the tests of ${manifest.name}`,
      attributes: { package: manifest.name },
      worker: { ...defaults.worker, command: ['npm', 'test', '--workspace', manifest.name] },
    };
  }
  for (const task of helpers.defaultTasks()) {
    const dependencies: Record<string, string> = { ...task.dependencies };
    for (const test of tests) dependencies[test] = `${kind}-${test}`;
    for (const earlier of loadedTasks) dependencies[earlier.label] = earlier.label;
    yield { ...task, dependencies };
  }
}
