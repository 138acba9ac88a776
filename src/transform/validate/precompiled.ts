// The validators that scripts/build.mjs generates ahead of time from schemas/
// (ajv standalone code), so that a run does not compile the schemas it checks
// every task against. They answer only "valid or not"; an invalid value is
// checked again by the compiled, verbose validator, which words the problems.
// A generated validator is used only while its schema file has the digest it
// was generated from: an edited schema is compiled as before, never checked
// with stale code.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { schemasDir } from '../package-paths.js';

export type ValidityCheck = (data: unknown) => boolean;

/** Which ajv configuration the schema is compiled with (see the two modules built by scripts/build.mjs). */
export type SchemaGroup = 'input' | 'output';

const require = createRequire(import.meta.url);
const modules = new Map<SchemaGroup, Record<string, unknown> | null>();
/** group → directory → schema name → check; nested maps: this runs for every task, twice. */
const checks: Record<SchemaGroup, Map<string, Map<string, ValidityCheck | null>>> = { input: new Map(), output: new Map() };

function generatedModule(group: SchemaGroup): Record<string, unknown> | null {
  let mod = modules.get(group);
  if (mod === undefined) {
    try {
      mod = require(`./standalone-${group}.cjs`) as Record<string, unknown>;
    } catch {
      mod = null; // not built (a partial build, say): compile instead
    }
    modules.set(group, mod);
  }
  return mod;
}

/**
 * The generated check for `<dir>/<name>.yml` (dir: the package's schemas/), or
 * undefined when none was generated from the file's current text.
 */
export function precompiledCheck(group: SchemaGroup, name: string, dir: string = schemasDir): ValidityCheck | undefined {
  let byName = checks[group].get(dir);
  if (!byName) checks[group].set(dir, (byName = new Map()));
  let check = byName.get(name);
  if (check === undefined) {
    check = null;
    const mod = generatedModule(group);
    const digests = mod?.__digests as Record<string, string> | undefined;
    const generated = mod && Object.hasOwn(mod, name) ? mod[name] : undefined;
    if (typeof generated === 'function' && digests && Object.hasOwn(digests, name)) {
      let text: string | undefined;
      try {
        text = readFileSync(join(dir, `${name}.yml`), 'utf8');
      } catch {
        text = undefined;
      }
      if (text !== undefined && createHash('sha256').update(text).digest('hex') === digests[name]) {
        check = generated as ValidityCheck;
      }
    }
    byName.set(name, check);
  }
  return check ?? undefined;
}
