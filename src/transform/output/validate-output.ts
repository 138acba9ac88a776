// Output validation: every generated task definition against the queue's
// published task format, and its payload against its worker's published
// payload format. The user's YAML was validated on the way in, so anything
// found here is a bug in tc-payload's own task transform or payload builder;
// it is reported as such (located at the task that triggered it) rather than
// handed to the queue, which would reject it only at submission time.
import { createHash } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { formatYamlPath } from '../diagnostics.js';
import type { GeneratedTask } from '../model.js';
import {
  PAYLOAD_SCHEMA_FILES,
  QUEUE_TASK_SCHEMA_FILE,
  payloadSchemaFile,
  payloadValidator,
  precompiledOutputCheck,
  queueTaskValidator,
} from './output-schemas.js';
import { substituteReferences, type MarkerResolver } from './references.js';
import { niceSlugidFromBytes } from './slugid.js';
import { isRecord } from '../plain-data.js';

/**
 * What a reference stands for while ids do not exist yet: a valid slugid for
 * every task marker (one per name, so that lists of distinct references stay
 * distinct) and a well-formed queue URL for every artifact, so that the
 * published schemas apply unchanged to unresolved output.
 */
const placeholderIds = new Map<string, string>();
export function placeholderTaskId(name: string): string {
  let id = placeholderIds.get(name);
  if (id === undefined) {
    id = niceSlugidFromBytes(createHash('sha256').update(name).digest().subarray(0, 16));
    placeholderIds.set(name, id);
  }
  return id;
}
const PLACEHOLDER_ROOT_URL = 'https://tc-payload.invalid';

const placeholders: MarkerResolver = {
  memo: new Map(),
  task: (name) => placeholderTaskId(name),
  artifact: (name, artifact) =>
    `${PLACEHOLDER_ROOT_URL}/api/queue/v1/task/${placeholderTaskId(name)}/artifacts/${artifact ?? 'artifact'}`,
};

/** `value` with every task and artifact reference replaced by a well-formed stand-in, as the output checks see it. */
export function withPlaceholderReferences(value: unknown): unknown {
  return substituteReferences(value, placeholders);
}

export function validateGeneratedTasks(tasks: readonly GeneratedTask[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const task of tasks) {
    const definition = substituteReferences(task.task, placeholders);
    diagnostics.push(...checkTaskDefinition(task, definition, 'generated'));
    if (Object.hasOwn(task.task, 'dependencies')) diagnostics.push(dependenciesPresent(task));
  }
  return diagnostics;
}

/** The builders leave `task.dependencies` out; resolve fills it from the task's dependencies. */
export function dependenciesPresent(task: GeneratedTask): Diagnostic {
  return {
    severity: 'error',
    location: task.source.locate([]),
    path: ['task', 'dependencies'],
    message:
      `the generated task definition of ${task.label} already has "dependencies"; the builders must leave it out ` +
      `(--resolve sets it from the task's dependencies). This is a bug in tc-payload's task transform, not in your YAML; please report it`,
  };
}

/**
 * Checks one definition (with references already replaced) against the queue
 * and payload schemas. `stage` only changes the wording.
 */
export function checkTaskDefinition(
  task: GeneratedTask,
  definition: unknown,
  stage: 'generated' | 'resolved',
): Diagnostic[] {
  // Locating reads the YAML positions; only a task that is invalid pays for it.
  const report = (found: Omit<Diagnostic, 'severity' | 'location'>, culprit: string): Diagnostic => ({
    severity: 'error',
    location: task.source.locate([]),
    ...found,
    message: task.payloadBuiltBy
      ? `the ${stage} task definition of ${task.label} is invalid: ${found.message}. It was made by the ${task.payloadBuiltBy}`
      : `the ${stage} task definition of ${task.label} is invalid: ${found.message}. ` +
        `This is a bug in tc-payload's ${culprit}, not in your YAML; please report it`,
  });

  const out: Diagnostic[] = [];
  const taskBuilder = 'task transform';
  // The generated check first: the compiled validator (and its wording) only for an invalid definition.
  if (!precompiledOutputCheck(QUEUE_TASK_SCHEMA_FILE)?.(definition)) {
    for (const e of schemaErrors(queueTaskValidator(), definition, ['task'])) out.push(report(e, taskBuilder));
  }

  const payload = isRecord(definition) ? definition.payload : undefined;
  if (!isRecord(payload)) return out; // the queue schema has already said so
  const payloadFile = payloadSchemaFile(task.workerImplementation, task.workerOs);
  if (payloadFile !== undefined && precompiledOutputCheck(payloadFile)?.(payload)) return out;
  const validate = payloadValidator(task.workerImplementation, task.workerOs);
  const builder = `${task.workerImplementation} payload builder`;
  // A plugin's payload was checked against its own payloadSchema when it was built.
  if (!validate && task.payloadBuiltBy) return out;
  if (!validate) {
    out.push(
      report(
        {
          path: ['task', 'payload'],
          message: `there is no payload schema for worker implementation "${task.workerImplementation}"`,
          // Implementations, not the `<implementation>/<os>` keys of their os-specific schemas.
          expected: `one of: ${[...new Set(Object.keys(PAYLOAD_SCHEMA_FILES).map((key) => key.split('/')[0]))].join(', ')}`,
        },
        taskBuilder,
      ),
    );
    return out;
  }
  for (const e of schemaErrors(validate, payload, ['task', 'payload'])) out.push(report(e, builder));
  return out;
}

type Finding = Pick<Diagnostic, 'message' | 'path' | 'expected'>;

function schemaErrors(validate: ValidateFunction, data: unknown, prefix: YamlPath): Finding[] {
  if (validate(data)) return [];
  // `if` only says that its `then` failed, which is reported on its own.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // A failed oneOf/anyOf also reports why each alternative failed, at or below
  // the same value; one line listing the alternatives says more than all of those.
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);
  const kept = errors.filter(
    (e) =>
      !alternatives.some(
        (a) =>
          a !== e &&
          within(e.instancePath, a.instancePath) &&
          // of two alternatives on the same value keep the outer one, which ajv reports last
          !(alternatives.includes(e) && e.instancePath === a.instancePath && errors.indexOf(e) > errors.indexOf(a)),
      ),
  );
  const root = validate.schema;
  return kept.map((e) => describe(e, [...prefix, ...pointerToPath(e.instancePath, data)], root));
}

/** The title of an alternative, following a local `$ref` to find it. */
function titleOf(branch: unknown, root: unknown, index: number): string {
  let schema = branch;
  if (isRecord(schema) && typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    schema = schema.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), root);
  }
  return isRecord(schema) && typeof schema.title === 'string' ? schema.title : `alternative ${index + 1}`;
}

function pointerToPath(pointer: string, data: unknown): YamlPath {
  if (!pointer) return [];
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path.push(Number(part));
      node = node[Number(part)];
    } else {
      path.push(part);
      node = isRecord(node) ? node[part] : undefined;
    }
  }
  return path;
}

function describe(e: ErrorObject, path: YamlPath, root: unknown): Finding {
  const field = `\`${formatYamlPath(path)}\``;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        path,
        message: `${field} lacks the required field "${String(params.missingProperty)}"`,
        expected: `an object with "${String(params.missingProperty)}"`,
      };
    case 'additionalProperties': {
      const allowed = isRecord(e.parentSchema) && isRecord(e.parentSchema.properties)
        ? Object.keys(e.parentSchema.properties)
        : [];
      return {
        path: [...path, String(params.additionalProperty)],
        message: `${field} has the field "${String(params.additionalProperty)}", which the published format does not allow`,
        expected: allowed.length ? `only the fields ${allowed.join(', ')}` : 'no further fields',
      };
    }
    case 'type':
      return { path, message: `${field} has the wrong type (${typeName(e.data)})`, expected: `${article(String(params.type))}` };
    case 'enum':
      return {
        path,
        message: `${field} is ${JSON.stringify(e.data)}`,
        expected: `one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'pattern':
      return { path, message: `${field} is ${JSON.stringify(e.data)}`, expected: `a string matching ${String(params.pattern)}` };
    case 'format':
      return { path, message: `${field} is ${JSON.stringify(e.data)}`, expected: `a ${String(params.format)} string` };
    case 'oneOf':
    case 'anyOf': {
      const titles = Array.isArray(e.schema)
        ? e.schema.map((branch: unknown, i: number) => titleOf(branch, root, i))
        : [];
      const exactly = e.keyword === 'oneOf' ? 'exactly one' : 'at least one';
      return {
        path,
        message: `${field} matches ${params.passingSchemas ? 'more than one' : 'none'} of the allowed forms`,
        expected: `${exactly} of: ${titles.join('; ')}`,
      };
    }
    default:
      return { path, message: `${field} ${e.message ?? `fails "${e.keyword}"`}`, expected: describeSchema(e) };
  }
}

function describeSchema(e: ErrorObject): string | undefined {
  const params = e.params as Record<string, unknown>;
  const limit = String(params.limit);
  const items = params.limit === 1 ? 'item' : 'items';
  const characters = params.limit === 1 ? 'character' : 'characters';
  switch (e.keyword) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(params.comparison)} ${limit}`;
    case 'minLength':
      return `at least ${limit} ${characters}`;
    case 'maxLength':
      return `at most ${limit} ${characters}`;
    case 'minItems':
      return `at least ${limit} ${items}`;
    case 'maxItems':
      return `at most ${limit} ${items}`;
    case 'uniqueItems':
      return 'no duplicate items';
    case 'multipleOf':
      return `a multiple of ${String(params.multipleOf)}`;
    default:
      return undefined;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isRecord(value)) return 'an object';
  return `${article(typeof value)} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  const words = type.split(',').map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`));
  return words.join(' or ');
}
