// A schema a plugin registers, checked without ajv on a warm start: the first
// run compiles it (which also checks that it is a valid schema) and keeps an
// ajv standalone "valid or not" check in the plugin cache, keyed by the
// schema's content, bundled by esbuild so that it needs nothing beside it.
// Later runs load that check (loading and compiling ajv costs about 200 ms, as
// much as a whole small generation); the compiled, verbose validator is built
// only to word the problems of an invalid value, as for the package's own
// schemas (validate/precompiled.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Diagnostic, YamlPath } from '../transform/diagnostics.js';
import { ajvPackage } from '../transform/lazy-packages.js';
import type { SourceMap } from '../transform/model.js';
import { packageRoot } from '../transform/package-paths.js';
import type { ValidityCheck } from '../transform/validate/precompiled.js';
import type { SchemaRegistry } from '../transform/validate/schema-registry.js';
import { validateWith } from '../transform/validate/validate-schema.js';
import { pluginCacheDir } from './compile-plugin.js';

/** Bumped when the options below change, so that old checks are not used. */
const FORMAT = 'tc-payload-plugin-schema-1';
/** As in validate/schema-registry.ts, whose ajv words the problems. */
const AJV_OPTIONS = { strict: true, strictTypes: false, allowUnionTypes: true } as const;

const require = createRequire(import.meta.url);

export class PluginSchema {
  private full: ValidateFunction | undefined;

  private constructor(
    private readonly registry: () => SchemaRegistry,
    private readonly id: string,
    private readonly schema: Readonly<Record<string, unknown>>,
    private readonly check: ValidityCheck | undefined,
  ) {}

  /**
   * The schema, with its check from the cache, or compiled (throwing ajv's
   * error when it is not a valid schema) and its check written to the cache.
   */
  static load(registry: () => SchemaRegistry, id: string, schema: Readonly<Record<string, unknown>>): PluginSchema {
    const text = JSON.stringify(schema);
    const file = join(pluginCacheDir(), `schema-${createHash('sha256').update(`${FORMAT}\0${packageRoot}\0${text}`).digest('hex')}.cjs`);
    if (existsSync(file)) {
      try {
        const check = require(file) as unknown;
        if (typeof check === 'function') return new PluginSchema(registry, id, schema, check as ValidityCheck);
      } catch {
        // an unreadable entry: compiled and written again below
      }
    }
    const loaded = new PluginSchema(registry, id, schema, undefined);
    loaded.validator(); // throws for an invalid schema
    writeCheck(file, schema);
    return loaded;
  }

  /** Problems of `value`, worded and located as the package's schemas' are. */
  validate(value: unknown, source: SourceMap, pathPrefix: YamlPath = []): Diagnostic[] {
    if (this.check?.(value)) return [];
    return validateWith(this.registry(), this.validator(), value, source, pathPrefix);
  }

  private validator(): ValidateFunction {
    this.full ??= this.registry().compileObject(this.id, this.schema);
    return this.full;
  }
}

/**
 * The standalone check of `schema`, bundled, written under a temporary name
 * and renamed. Nothing is written for a schema that refers to others (the
 * package's schemas): it is compiled in each run instead. A cache that cannot
 * be written only costs that time too.
 */
function writeCheck(file: string, schema: Readonly<Record<string, unknown>>): void {
  try {
    const { Ajv, addFormats } = ajvPackage();
    const ajv = new Ajv({ ...AJV_OPTIONS, allErrors: false, messages: false, code: { source: true } });
    addFormats(ajv);
    const validate = ajv.compile(structuredClone(schema) as object);
    const standalone = (require('ajv/dist/standalone') as { default: (ajv: unknown, validate: unknown) => string }).default(ajv, validate);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const bundled = esbuild.buildSync({
      stdin: { contents: standalone, resolveDir: packageRoot, loader: 'js', sourcefile: 'plugin-schema.cjs' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    const code = bundled.outputFiles[0]?.text;
    if (!code) return;
    mkdirSync(pluginCacheDir(), { recursive: true });
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  } catch {
    // see above: the schema is compiled again next time
  }
}
