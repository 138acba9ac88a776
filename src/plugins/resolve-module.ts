// Where a module name as taskgraph writes it (`self_taskgraph.transforms.x:transforms`)
// is found: the dotted module is a path, tried as a TypeScript or JavaScript
// file (or a folder's index) first under the taskgraph root, then under the
// repository that holds it (the root's parent), then as a package in
// node_modules (first part the package, the rest a path inside it), so that
// kind.yml and config.yml stay as they were when the Python files are rewritten.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const PLUGIN_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

export interface ModuleName {
  /** `self_taskgraph.transforms.x` */
  module: string;
  /** The attribute after `:`, `defaultAttribute` when there is none. */
  attribute: string;
}

const PART = /^[A-Za-z_][\w-]*$/;

/** `a.b.c:attr` → parts; undefined when it is not a dotted module name. */
export function parseModuleName(name: string, defaultAttribute: string): ModuleName | undefined {
  const [module = '', attribute, ...rest] = name.split(':');
  if (rest.length || !module.split('.').every((part) => PART.test(part))) return undefined;
  if (attribute !== undefined && !/^[A-Za-z_$][\w$]*$/.test(attribute)) return undefined;
  return { module, attribute: attribute ?? defaultAttribute };
}

export type Resolution = { file: string } | { lookedFor: string[] };

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The file of `module`, or every place looked in. */
export function resolveModule(module: string, taskgraphRoot: string): Resolution {
  const parts = module.split('.');
  const lookedFor: string[] = [];
  for (const base of [taskgraphRoot, dirname(taskgraphRoot)]) {
    const stem = join(base, ...parts);
    for (const candidate of [...PLUGIN_EXTENSIONS.map((ext) => stem + ext), ...PLUGIN_EXTENSIONS.map((ext) => join(stem, `index${ext}`))]) {
      lookedFor.push(candidate);
      if (isFile(candidate)) return { file: candidate };
    }
  }
  // A package, resolved as Node.js would from the repository (its "exports" or files).
  const request = parts.join('/');
  const require = createRequire(join(dirname(taskgraphRoot), 'package.json'));
  try {
    return { file: require.resolve(request) };
  } catch {
    lookedFor.push(`package "${parts[0]}" in node_modules (require.resolve("${request}") from ${dirname(taskgraphRoot)})`);
  }
  return { lookedFor };
}

/**
 * The Python file taskgraph would import for `module` (`a/b.py` or
 * `a/b/__init__.py`, under the taskgraph root or the repository), if there is
 * one: a module not yet ported, which tc-payload cannot run.
 */
export function pythonModuleFile(module: string, taskgraphRoot: string): string | undefined {
  const parts = module.split('.');
  return [taskgraphRoot, dirname(taskgraphRoot)]
    .flatMap((base) => [`${join(base, ...parts)}.py`, join(base, ...parts, '__init__.py')])
    .find((file) => isFile(file));
}
