// The JSON Schemas under schemas/, read and compiled on first use and kept for
// the life of the process (compiling is the expensive part; validating 10,000
// tasks with a compiled validator is cheap).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, AnySchemaObject, ValidateFunction } from 'ajv';
import { ajvPackage, yamlPackage } from '../lazy-packages.js';
import { IGNORES_UNKNOWN_KEYS } from './ignored-keys.js';
import { schemasDir } from '../package-paths.js';

/** Where a sub-schema object sits: which schema file, and the JSON pointer inside it. */
export interface SchemaPosition {
  rootId: string;
  pointer: string;
}

export class SchemaRegistry {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly loaded = new Map<string, AnySchemaObject>();
  private readonly positions = new WeakMap<object, SchemaPosition>();

  constructor(private readonly dir: string) {
    // verbose: errors carry the schema objects, which the error explainer needs
    // (allowed keys, and the alternatives of an anyOf to re-check one by one).
    const { Ajv, addFormats } = ajvPackage();
    this.ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addKeyword(IGNORES_UNKNOWN_KEYS);
  }

  /** The validator for `schemas/<schemaId>.yml`. */
  validator(schemaId: string): ValidateFunction {
    const cached = this.validators.get(schemaId);
    if (cached) return cached;
    const schema = this.load(schemaId);
    const validate = this.compileWithRefs(() => this.ajv.getSchema(schema.$id as string)!);
    this.validators.set(schemaId, validate);
    return validate;
  }

  /**
   * A validator for a schema given as an object (a plugin's), under `id`. It
   * may `$ref` the package's schemas. Throws ajv's error when it is not a
   * valid schema.
   */
  compileObject(id: string, schema: Readonly<Record<string, unknown>>): ValidateFunction {
    const copy = { ...(structuredClone(schema) as AnySchemaObject), $id: id };
    this.ajv.addSchema(copy);
    try {
      const validate = this.compileWithRefs(() => this.ajv.getSchema(id)!);
      this.recordPositions(copy, id, '');
      return validate;
    } catch (error) {
      this.ajv.removeSchema(id);
      throw error;
    }
  }

  /** A validator for the sub-schema at `rootId#pointer` (an alternative of an anyOf, say). */
  validatorAt(position: SchemaPosition): ValidateFunction | undefined {
    const key = `${position.rootId}#${position.pointer}`;
    return this.compileWithRefs(() => this.ajv.getSchema(key));
  }

  /** Where `subSchema` (an object inside a loaded schema) sits, if it is one of ours. */
  positionOf(subSchema: unknown): SchemaPosition | undefined {
    return typeof subSchema === 'object' && subSchema !== null ? this.positions.get(subSchema) : undefined;
  }

  private compileWithRefs<T>(compile: () => T): T {
    // A schema may $ref another file of schemas/; load that file and try again.
    for (let attempt = 0; ; attempt++) {
      try {
        return compile();
      } catch (error) {
        if (!(error instanceof ajvPackage().MissingRefError) || attempt > 20) throw error;
        const name = /\/([^/#]+)\.json(#|$)/.exec(error.missingSchema)?.[1];
        if (!name || this.loaded.has(name)) throw error;
        this.load(name);
      }
    }
  }

  private load(schemaId: string): AnySchemaObject {
    const existing = this.loaded.get(schemaId);
    if (existing) return existing;
    const file = join(this.dir, `${schemaId}.yml`);
    let schema: AnySchemaObject;
    try {
      schema = yamlPackage().parse(readFileSync(file, 'utf8')) as AnySchemaObject;
    } catch (error) {
      const known = readdirSync(this.dir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4));
      throw new Error(`cannot load schema "${schemaId}" from ${file}: ${(error as Error).message} (known: ${known.join(', ')})`);
    }
    if (typeof schema.$id !== 'string') throw new Error(`schema ${file} has no $id`);
    this.ajv.addSchema(schema);
    this.loaded.set(schemaId, schema);
    this.recordPositions(schema, schema.$id, '');
    return schema;
  }

  private recordPositions(node: unknown, rootId: string, pointer: string): void {
    if (typeof node !== 'object' || node === null) return;
    if (!this.positions.has(node)) this.positions.set(node, { rootId, pointer });
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (const [key, value] of entries) {
      this.recordPositions(value, rootId, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  }
}

let shared: SchemaRegistry | undefined;

/** The process-wide registry for the package's schemas/ directory. */
export function schemaRegistry(): SchemaRegistry {
  shared ??= new SchemaRegistry(schemasDir);
  return shared;
}
