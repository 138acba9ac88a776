// A plugin module loaded once per generation: resolved (resolve-module.ts),
// compiled or taken from the cache (compile-plugin.ts) and required. Source
// maps are enabled first so that a stack through the plugin names its own
// .ts file and line.
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { packageRoot } from '../transform/package-paths.js';
import { compilePlugin, PluginCompileError } from './compile-plugin.js';
import { parseModuleName, pythonModuleFile, resolveModule, type ModuleName } from './resolve-module.js';

export type LoadedAttribute =
  | { ok: true; value: unknown; file: string; name: ModuleName }
  | { ok: false; message: string; expected?: string };

const require = createRequire(import.meta.url);

/** One generation's plugin modules, by file: each loaded once. */
export class PluginModules {
  private readonly modules = new Map<string, Record<string, unknown> | PluginCompileError | Error>();

  constructor(private readonly taskgraphRoot: string) {}

  /** The attribute `name` (`a.b.c:attr`) points at, or why there is none. */
  attribute(name: string, defaultAttribute: string): LoadedAttribute {
    const parsed = parseModuleName(name, defaultAttribute);
    if (!parsed) return { ok: false, message: `"${name}" is not a module name`, expected: 'dotted.module.path or dotted.module.path:attribute' };
    const found = resolveModule(parsed.module, this.taskgraphRoot);
    if ('lookedFor' in found) {
      const python = pythonModuleFile(parsed.module, this.taskgraphRoot);
      if (python) {
        return {
          ok: false,
          message: `module ${parsed.module} is Python (${python}), which tc-payload does not run`,
          expected: `a TypeScript or JavaScript port beside it (${python.replace(/(?:\/__init__)?\.py$/, (m) => (m.startsWith('/') ? '/index.ts' : '.ts'))}; docs/plugins.md shows how)`,
        };
      }
      return { ok: false, message: `no plugin file for module ${parsed.module}`, expected: `one of: ${found.lookedFor.join(', ')}` };
    }
    const loaded = this.load(found.file);
    if (loaded instanceof Error) return { ok: false, message: `plugin ${found.file} could not be loaded: ${loaded.message}` };
    if (!(parsed.attribute in loaded)) {
      const exported = Object.keys(loaded).filter((key) => key !== '__esModule');
      return {
        ok: false,
        message: `plugin ${found.file} exports no "${parsed.attribute}"`,
        expected: `one of its exports: ${exported.join(', ') || '(none)'}`,
      };
    }
    return { ok: true, value: loaded[parsed.attribute], file: found.file, name: parsed };
  }

  private load(file: string): Record<string, unknown> | Error {
    let loaded = this.modules.get(file);
    if (!loaded) {
      process.setSourceMapsEnabled(true);
      try {
        loaded = require(compilePlugin(file)) as Record<string, unknown>;
      } catch (error) {
        loaded = error instanceof Error ? error : new Error(String(error));
        if (!(error instanceof PluginCompileError)) loaded = new Error(describeThrown(error, dirname(this.taskgraphRoot)));
      }
      this.modules.set(file, loaded);
    }
    return loaded;
  }
}

/** `Name: message`, or what was thrown when it is not an Error. */
export function thrownText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `threw ${JSON.stringify(error) ?? String(error)}`;
}

/** `Name: message (at file:line:column)`, the place being the first frame `thrownAt` finds. */
export function describeThrown(error: unknown, repository: string): string {
  const at = thrownAt(error, repository);
  return at ? `${thrownText(error)} (at ${at.file}:${at.line}:${at.column})` : thrownText(error);
}

/** tc-payload's own code, wherever the repository is (the worked example lives inside this package). */
const OWN_CODE = ['src', 'dist', 'build'].map((dir) => join(packageRoot, dir) + sep);

const FRAME = /\(?((?:file:\/\/)?\/[^()\s]+):(\d+):(\d+)\)?\s*$/;

/**
 * The first stack frame in a file of the repository (source-mapped, so the
 * plugin's own .ts files), outside node_modules: where the plugin threw, or
 * the helper module of its own it called.
 */
export function thrownAt(error: unknown, repository: string): { file: string; line: number; column: number } | undefined {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const prefix = repository.endsWith('/') ? repository : `${repository}/`;
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    if (file.startsWith(prefix) && !file.includes('/node_modules/') && !OWN_CODE.some((own) => file.startsWith(own))) {
      return { file, line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}
