// The published output formats (schemas/queue-task.yml and the worker payload
// schemas), compiled once per process: compiling is the slow part of ajv, and
// a run validates every task against the same three schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { ajvPackage, yamlPackage } from '../lazy-packages.js';
import { schemasDir } from '../package-paths.js';
import { precompiledCheck, type ValidityCheck } from '../validate/precompiled.js';

/** Worker implementation → its payload schema file under schemas/. */
export const PAYLOAD_SCHEMA_FILES: Readonly<Record<string, string>> = {
  'docker-worker': 'docker-worker-payload.yml',
  'generic-worker': 'generic-worker-payload.yml',
  'generic-worker/windows': 'generic-worker-windows-payload.yml',
  succeed: 'builtin-payload.yml',
  'always-optimized': 'builtin-payload.yml',
};
export const QUEUE_TASK_SCHEMA_FILE = 'queue-task.yml';

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    if (!ajv) {
      // verbose: the failing subschema comes with each error, for messages that say what was expected.
      const { Ajv, addFormats } = ajvPackage();
      ajv = new Ajv({ allErrors: true, verbose: true });
      addFormats(ajv);
    }
    validate = ajv.compile(yamlPackage().parse(readFileSync(join(schemasDir, file), 'utf8')) as object);
    compiled.set(file, validate);
  }
  return validate;
}

export function queueTaskValidator(): ValidateFunction {
  return validatorFor(QUEUE_TASK_SCHEMA_FILE);
}

/** The payload validator for a worker implementation, or undefined when there is no schema for it. */
export function payloadValidator(workerImplementation: string, os?: string): ValidateFunction | undefined {
  const file = payloadSchemaFile(workerImplementation, os);
  return file === undefined ? undefined : validatorFor(file);
}

/**
 * The validity check generated at build time for an output schema file (see
 * validate/precompiled.ts), when it matches the file: valid values skip the
 * compiled validator entirely.
 */
export function precompiledOutputCheck(file: string): ValidityCheck | undefined {
  return precompiledCheck('output', file.endsWith('.yml') ? file.slice(0, -4) : file);
}

/** The payload schema file of a worker implementation (on `os`, where the format depends on it), or undefined when there is none. */
export function payloadSchemaFile(workerImplementation: string, os?: string): string | undefined {
  const specific = `${workerImplementation}/${os}`;
  if (os !== undefined && Object.hasOwn(PAYLOAD_SCHEMA_FILES, specific)) return PAYLOAD_SCHEMA_FILES[specific];
  return Object.hasOwn(PAYLOAD_SCHEMA_FILES, workerImplementation) ? PAYLOAD_SCHEMA_FILES[workerImplementation] : undefined;
}
