// A plugin file (and the files it imports) compiled by esbuild into one
// CommonJS file with an inline source map, kept in a cache on disk keyed by the
// content of every file that went into it, so that a warm run does not load
// esbuild at all. CommonJS because Node.js 20 can only load CommonJS
// synchronously, and the transforms of a kind are looked up synchronously
// (kind-transforms.ts); the source map makes a plugin's
// exception point at its own file and line (load-plugin.ts enables them).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../transform/package-paths.js';

/** Bumped when the compile options change, so that old entries are not used. */
const FORMAT = 'tc-payload-plugin-1';

export function pluginCacheDir(): string {
  const own = process.env.TC_PAYLOAD_CACHE_DIR;
  if (own) return join(own, 'plugins');
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'tc-payload', 'plugins');
}

interface Manifest {
  /** Every file compiled in, with the SHA-256 of its content when it was compiled. */
  inputs: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function fresh(manifest: Manifest): boolean {
  try {
    return Object.entries(manifest.inputs).every(([file, digest]) => sha256(readFileSync(file)) === digest);
  } catch {
    return false;
  }
}

/** Written under a temporary name and renamed, so that a concurrent run never reads half a file. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export class PluginCompileError extends Error {}

/** The path of the compiled CommonJS file of `entry` (absolute), compiling it when the cache has none. */
export function compilePlugin(entry: string): string {
  const dir = pluginCacheDir();
  const key = sha256(`${FORMAT}\0${entry}\0${readFileSync(entry, 'utf8')}`);
  const outfile = join(dir, `${key}.cjs`);
  const manifestFile = join(dir, `${key}.json`);
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (fresh(manifest)) return outfile;
  } catch {
    // not cached yet, or an unreadable entry: compiled again below
  }
  // Loaded only on a cache miss: it costs about 20 ms.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  let result: import('esbuild').BuildResult<{ write: false; metafile: true }>;
  try {
    result = esbuild.buildSync({
      entryPoints: [entry],
      outfile,
      write: false,
      metafile: true,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'inline',
      sourcesContent: false,
      // The API a plugin imports, bundled into it (it is small and imports nothing).
      alias: { 'tc-payload': join(packageRoot, 'dist', 'api', 'api.js') },
      logLevel: 'silent',
      absWorkingDir: resolve(entry, '..'),
    });
  } catch (error) {
    const errors = (error as { errors?: import('esbuild').Message[] }).errors ?? [];
    const first = errors[0];
    const where = first?.location ? `${resolve(entry, '..', first.location.file)}:${first.location.line}:${first.location.column + 1}` : entry;
    throw new PluginCompileError(`${where}: ${first?.text ?? String(error)}`);
  }
  // One CommonJS module has no import.meta: without this, import.meta.url would be undefined at run time, silently.
  const emptyMeta = result.warnings.find((warning) => warning.id === 'empty-import-meta' && warning.location);
  if (emptyMeta?.location) {
    throw new PluginCompileError(
      `${resolve(entry, '..', emptyMeta.location.file)}:${emptyMeta.location.line}:${emptyMeta.location.column + 1}: import.meta is not available in a plugin, which is compiled into one CommonJS module with the files it imports: find files from the kind's directory (config.path, a loader's path) instead`,
    );
  }
  const output = result.outputFiles[0];
  if (!output) throw new PluginCompileError(`${entry}: esbuild wrote nothing`);
  const inputs: Record<string, string> = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const path = resolve(entry, '..', file);
    inputs[path] = sha256(readFileSync(path));
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeAtomically(outfile, output.text);
    writeAtomically(manifestFile, JSON.stringify({ inputs } satisfies Manifest));
  } catch (error) {
    throw new PluginCompileError(
      `cannot write the compiled plugin into the cache ${dir} (${(error as Error).message}): set TC_PAYLOAD_CACHE_DIR to a writable directory`,
    );
  }
  return outfile;
}
