// A plugin module loaded once per generation: resolved (resolve-module.ts),
// compiled or taken from the cache (compile-plugin.ts) and required. Source
// maps are enabled first so that a stack through the plugin names its own
// .ts file and line.
import { createRequire } from 'node:module';
import { compilePlugin, PluginCompileError } from './compile-plugin.js';
import { parseModuleName, resolveModule, type ModuleName } from './resolve-module.js';

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
        if (!(error instanceof PluginCompileError)) loaded = new Error(describeThrown(error, [file]));
      }
      this.modules.set(file, loaded);
    }
    return loaded;
  }
}

/** `Name: message (at file:line:column)`, the place being the first frame in one of `files`. */
export function describeThrown(error: unknown, files: readonly string[]): string {
  const at = thrownAt(error, files);
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `threw ${JSON.stringify(error) ?? String(error)}`;
  return at ? `${text} (at ${at.file}:${at.line}:${at.column})` : text;
}

const FRAME = /\(?((?:file:\/\/)?\/[^()\s]+):(\d+):(\d+)\)?\s*$/;

/** The first stack frame in one of `files` (or in the directory of the first, for files it imports). */
export function thrownAt(error: unknown, files: readonly string[]): { file: string; line: number; column: number } | undefined {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const dirs = files.map((file) => file.slice(0, file.lastIndexOf('/') + 1));
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    if (files.includes(file) || dirs.some((dir) => file.startsWith(dir))) {
      return { file, line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}
