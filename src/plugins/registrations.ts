// What one generation's `register(registry)` added: parameters, keyed-by
// values, `run: using:` implementations and payload builders. One object per
// generation (each `--jobs` thread has its own), never module state, so that
// two generations in one process never see each other's additions. The
// registry's methods check what they are given and throw a plain Error when it
// is wrong: it is thrown inside the plugin's own call, so the report points at
// the plugin's line that made it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyedByValue, ParameterExtension, PayloadBuilder, Registry, RunUsing } from './api.js';
import { load as loadYaml } from 'js-yaml';
import { schemasDir } from '../transform/package-paths.js';
import { payloadBuilders } from '../transform/payload/registry.js';
import { isRecord } from '../transform/plain-data.js';
import { SUPPORTED_USING } from '../transform/transforms/run/run-description.js';
import { SchemaRegistry } from '../transform/validate/schema-registry.js';
import { PluginSchema } from './plugin-schema.js';

/** The attributes the keyed-by stage gives every task itself (keyed-by-context.ts). */
const BUILTIN_KEYED_BY = ['level', 'project', 'tasks-for', 'kind'];

export interface RegisteredParameters {
  names: readonly string[];
  schema: PluginSchema;
  defaults: ParameterExtension['defaults'];
}

export interface RegisteredRunUsing extends RunUsing {
  using: string;
  runSchema: PluginSchema;
}

export interface RegisteredPayloadBuilder extends PayloadBuilder {
  implementation: string;
  workerSchema: PluginSchema;
  checkedPayloadSchema?: PluginSchema;
}

export class Registrations {
  readonly parameters: RegisteredParameters[] = [];
  readonly keyedBy = new Map<string, KeyedByValue>();
  /** using → worker implementation → implementation. */
  readonly runUsing = new Map<string, Map<string, RegisteredRunUsing>>();
  readonly payloadBuilders = new Map<string, RegisteredPayloadBuilder>();
  /** The plugins' schemas, compiled by an ajv of this generation's own. */
  private schemaRegistry: SchemaRegistry | undefined;
  private compiledSchemas = 0;
  private closed = false;

  /** What `register` named (`self_taskgraph:register`), for messages. */
  constructor(readonly registerName: string) {}

  get schemas(): SchemaRegistry {
    this.schemaRegistry ??= new SchemaRegistry(schemasDir);
    return this.schemaRegistry;
  }

  /** The names of every registered parameter. */
  parameterNames(): Set<string> {
    return new Set(this.parameters.flatMap((p) => p.names));
  }

  /** After `register` returned: a registry kept and called later would change a generation under way. */
  close(): void {
    this.closed = true;
  }

  /** The object `register` receives. */
  registry(graphConfig: Readonly<Record<string, unknown>>): Registry {
    const self = this;
    const open = (method: string) => {
      if (self.closed) throw new Error(`registry.${method}() called after register returned: call it from register itself`);
    };
    return Object.freeze({
      graphConfig,
      parameters(extension: ParameterExtension) {
        open('parameters');
        self.addParameters(extension);
      },
      keyedBy(name: string, valueOf: KeyedByValue) {
        open('keyedBy');
        self.addKeyedBy(name, valueOf);
      },
      runUsing(workerImplementations: string | readonly string[], using: string, implementation: RunUsing) {
        open('runUsing');
        self.addRunUsing(workerImplementations, using, implementation);
      },
      payloadBuilder(implementation: string, builder: PayloadBuilder) {
        open('payloadBuilder');
        self.addPayloadBuilder(implementation, builder);
      },
    });
  }

  private compile(schema: unknown, what: string): PluginSchema {
    if (!isRecord(schema)) throw new TypeError(`${what}: the schema must be a JSON Schema object, not ${describe(schema)}`);
    try {
      return PluginSchema.load(() => this.schemas, `https://tc-payload.invalid/plugin-schemas/${++this.compiledSchemas}.json`, schema);
    } catch (error) {
      throw new Error(`${what}: not a valid JSON Schema: ${(error as Error).message}`);
    }
  }

  private addParameters(extension: ParameterExtension): void {
    if (!isRecord(extension)) throw new TypeError(`registry.parameters() takes { schema, defaults }, not ${describe(extension)}`);
    const { schema, defaults } = extension;
    const properties = isRecord(schema) ? schema.properties : undefined;
    if (!isRecord(properties) || Object.keys(properties).length === 0) {
      throw new TypeError('registry.parameters(): the schema must be an object schema whose `properties` name the new parameters');
    }
    const names = Object.keys(properties);
    const builtin = taskgraphParameters();
    const taken = new Set([...builtin, ...this.parameterNames()]);
    for (const name of names) {
      if (taken.has(name)) throw new Error(`registry.parameters(): parameter "${name}" is already declared${builtin.has(name) ? ' by taskgraph' : ''}`);
    }
    if (defaults !== undefined && typeof defaults !== 'function' && !isRecord(defaults)) {
      throw new TypeError(`registry.parameters(): defaults must be an object or a function returning one, not ${describe(defaults)}`);
    }
    this.parameters.push({ names, schema: this.compile({ type: 'object', ...schema }, 'registry.parameters()'), defaults });
  }

  private addKeyedBy(name: string, valueOf: KeyedByValue): void {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_][\w-]*$/.test(name)) {
      throw new TypeError(`registry.keyedBy(): ${JSON.stringify(name)} is not a keyed-by name (the part after "by-": letters, digits, "-" and "_")`);
    }
    if (BUILTIN_KEYED_BY.includes(name)) throw new Error(`registry.keyedBy(): "by-${name}" is built in (${BUILTIN_KEYED_BY.join(', ')} always are)`);
    if (this.keyedBy.has(name)) throw new Error(`registry.keyedBy(): "by-${name}" is already registered`);
    if (typeof valueOf !== 'function') throw new TypeError(`registry.keyedBy("${name}"): the value must be a function (task, params) => value, not ${describe(valueOf)}`);
    this.keyedBy.set(name, valueOf);
  }

  private addRunUsing(workerImplementations: string | readonly string[], using: string, implementation: RunUsing): void {
    const implementations = typeof workerImplementations === 'string' ? [workerImplementations] : workerImplementations;
    const what = `registry.runUsing(…, ${JSON.stringify(using)})`;
    if (!Array.isArray(implementations) || implementations.length === 0 || !implementations.every((i) => typeof i === 'string' && i)) {
      throw new TypeError(`${what}: the worker implementations must be a name or a non-empty list of names`);
    }
    if (typeof using !== 'string' || !using) throw new TypeError(`registry.runUsing(): using must be a non-empty string, not ${describe(using)}`);
    if ((SUPPORTED_USING as readonly string[]).includes(using)) throw new Error(`${what}: "${using}" is built in`);
    if (!isRecord(implementation) || typeof implementation.build !== 'function') throw new TypeError(`${what}: the implementation must be { schema, defaults?, build(config, run, task) }`);
    if (implementation.defaults !== undefined && !isRecord(implementation.defaults)) throw new TypeError(`${what}: defaults must be an object`);
    const byImplementation = this.runUsing.get(using) ?? new Map<string, RegisteredRunUsing>();
    const taken = implementations.filter((i) => byImplementation.has(i));
    if (taken.length) throw new Error(`${what}: already registered for ${taken.join(', ')}`);
    const registered: RegisteredRunUsing = { ...implementation, using, runSchema: this.compile(implementation.schema, what) };
    for (const name of implementations) byImplementation.set(name, registered);
    this.runUsing.set(using, byImplementation);
  }

  private addPayloadBuilder(implementation: string, builder: PayloadBuilder): void {
    const what = `registry.payloadBuilder(${JSON.stringify(implementation)})`;
    if (typeof implementation !== 'string' || !implementation) throw new TypeError(`registry.payloadBuilder(): the implementation must be a non-empty string, not ${describe(implementation)}`);
    if (payloadBuilders.has(implementation)) throw new Error(`${what}: "${implementation}" is built in`);
    if (this.payloadBuilders.has(implementation)) throw new Error(`${what}: already registered`);
    if (!isRecord(builder) || typeof builder.build !== 'function') throw new TypeError(`${what}: the builder must be { schema, payloadSchema?, build(config, task, taskDef) }`);
    this.payloadBuilders.set(implementation, {
      ...builder,
      implementation,
      workerSchema: this.compile(builder.schema, `${what} schema`),
      ...(builder.payloadSchema !== undefined ? { checkedPayloadSchema: this.compile(builder.payloadSchema, `${what} payloadSchema`) } : {}),
    });
  }
}

let taskgraphParameterNames: ReadonlySet<string> | undefined;

/** The parameters schemas/parameters.yml declares (read with js-yaml, already loaded: compiling the schema would load ajv). */
function taskgraphParameters(): ReadonlySet<string> {
  if (!taskgraphParameterNames) {
    const schema = loadYaml(readFileSync(join(schemasDir, 'parameters.yml'), 'utf8')) as { properties?: Record<string, unknown> };
    taskgraphParameterNames = new Set(Object.keys(schema.properties ?? {}));
  }
  return taskgraphParameterNames;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
