// Turns ajv's raw errors into the few that a person needs. ajv reports every
// alternative of an anyOf/oneOf that failed, plus the combinator itself; here
// each combinator is replaced by the errors of its most relevant alternative
// (re-checked on its own), or by one "wrong type" error when the value fits
// none of the alternatives' types.
import type { ErrorObject } from 'ajv';
import type { SchemaRegistry } from './schema-registry.js';

export function explainErrors(
  registry: SchemaRegistry,
  errors: readonly ErrorObject[],
  value: unknown,
): ErrorObject[] {
  // `if` only says that `then` failed; the `then` errors say why.
  let result = errors.filter((e) => e.keyword !== 'if' && !isPropertyNameDetail(e));
  const combinators = result
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const combinator of combinators) {
    if (!result.includes(combinator)) continue; // inside an outer one already explained
    // Errors under the combinator come from its alternatives, except those of
    // sibling keywords of the same schema object (same parentSchema).
    result = result.filter(
      (e) =>
        e !== combinator &&
        !(within(e.instancePath, combinator.instancePath) && e.parentSchema !== combinator.parentSchema),
    );
    result.push(...explainCombinator(registry, combinator, valueAt(value, combinator.instancePath)));
  }
  return result;
}

// ajv reports a bad key of propertyNames twice: the sub-error (with
// propertyName set) and the propertyNames error; the latter is kept.
function isPropertyNameDetail(e: ErrorObject): boolean {
  return (e as ErrorObject & { propertyName?: string }).propertyName !== undefined && e.keyword !== 'propertyNames';
}

function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

interface Branch {
  index: number;
  errors: ErrorObject[];
  /** Only "wrong type" errors about the value itself: the value is not of this alternative's kind at all. */
  typeMismatch: boolean;
  depth: number;
}

function explainCombinator(registry: SchemaRegistry, combinator: ErrorObject, value: unknown): ErrorObject[] {
  const alternatives = combinator.schema as unknown[];
  const position = registry.positionOf(alternatives);
  if (combinator.keyword === 'oneOf' && (combinator.params as { passingSchemas?: unknown }).passingSchemas) {
    return [{ ...combinator, message: 'matches more than one of the allowed forms; make it match exactly one' }];
  }
  if (!position || !Array.isArray(alternatives)) return [combinator];
  const branches: Branch[] = [];
  for (let index = 0; index < alternatives.length; index++) {
    const validate = registry.validatorAt({ rootId: position.rootId, pointer: `${position.pointer}/${index}` });
    if (!validate) return [combinator];
    if (validate(value)) continue; // cannot happen for a failed anyOf; harmless for oneOf
    const errors = explainErrors(registry, validate.errors ?? [], value).map((e) => ({
      ...e,
      instancePath: combinator.instancePath + e.instancePath,
    }));
    const typeMismatch = errors.every((e) => e.keyword === 'type' && e.instancePath === combinator.instancePath);
    const depth = Math.max(...errors.map((e) => e.instancePath.split('/').length));
    branches.push({ index, errors, typeMismatch, depth });
  }
  const relevant = branches.filter((b) => !b.typeMismatch);
  if (relevant.length === 0) {
    const types = new Set<string>();
    for (const b of branches) for (const e of b.errors) for (const t of [(e.params as { type: string | string[] }).type].flat()) types.add(t);
    return [
      {
        ...combinator,
        keyword: 'type',
        params: { type: [...types] },
        message: `must be ${[...types].join(' or ')}`,
      },
    ];
  }
  relevant.sort((a, b) => b.depth - a.depth || a.errors.length - b.errors.length || a.index - b.index);
  return relevant[0]!.errors;
}

/** The value at a JSON pointer (ajv's instancePath). */
export function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
