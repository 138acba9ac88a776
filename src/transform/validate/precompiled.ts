// The validators that scripts/build.mjs generates ahead of time from schemas/
// (ajv standalone code), so that a run does not compile the schemas it checks
// every task against. They answer only "valid or not"; an invalid value is
// checked again by the compiled, verbose validator, which words the problems.
// The generated validators of a group are used only while every schema file
// they were generated from has the digest it had then (a validator also holds
// the schemas it refers to): an edited schema is compiled as before, never
// checked with stale code.
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

/** `<group>\0<dir>` → whether every schema file the group was generated from is unchanged in `dir`. */
const unchanged = new Map<string, boolean>();

function generatedModule(group: SchemaGroup, dir: string): Record<string, unknown> | null {
  let mod = modules.get(group);
  if (mod === undefined) {
    try {
      mod = require(`./standalone-${group}.cjs`) as Record<string, unknown>;
    } catch {
      mod = null; // not built (a partial build, say): compile instead
    }
    modules.set(group, mod);
  }
  if (!mod) return null;
  const key = `${group}\0${dir}`;
  let same = unchanged.get(key);
  if (same === undefined) unchanged.set(key, (same = schemasUnchanged(mod.__digests, dir)));
  return same ? mod : null;
}

/** True when every schema file recorded in `digests` still has its recorded digest. */
function schemasUnchanged(digests: unknown, dir: string): boolean {
  if (typeof digests !== 'object' || digests === null) return false;
  for (const [name, digest] of Object.entries(digests)) {
    let text: string;
    try {
      text = readFileSync(join(dir, `${name}.yml`), 'utf8');
    } catch {
      return false;
    }
    if (createHash('sha256').update(text).digest('hex') !== digest) return false;
  }
  return true;
}

/**
 * The generated check for `<dir>/<name>.yml` (dir: the package's schemas/), or
 * undefined when none was generated, or when a schema file of its group has
 * changed since.
 */
export function precompiledCheck(group: SchemaGroup, name: string, dir: string = schemasDir): ValidityCheck | undefined {
  let byName = checks[group].get(dir);
  if (!byName) checks[group].set(dir, (byName = new Map()));
  let check = byName.get(name);
  if (check === undefined) {
    const mod = generatedModule(group, dir);
    const generated = mod && Object.hasOwn(mod, name) ? mod[name] : undefined;
    check = typeof generated === 'function' ? (generated as ValidityCheck) : null;
    byName.set(name, check);
  }
  return check ?? undefined;
}

/**
 * The top-level property names of `<dir>/<name>.yml` as the generated checks
 * were made from it, or undefined under the same conditions as precompiledCheck.
 */
export function precompiledProperties(group: SchemaGroup, name: string, dir: string = schemasDir): readonly string[] | undefined {
  const properties = generatedModule(group, dir)?.__properties as Record<string, string[]> | undefined;
  return properties && Object.hasOwn(properties, name) ? properties[name] : undefined;
}
