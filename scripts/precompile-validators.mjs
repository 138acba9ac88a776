// Validators generated ahead of time (ajv standalone code) for the schemas under
// schemas/, so that `generate` does not compile them in every process (about
// 0.3 s of CPU, more than validating 10,000 tasks). The schemas stay the single
// source: each generated module records the digest of every schema file it was
// generated from, and src/transform/validate/precompiled.ts uses a validator
// only while its file is unchanged, otherwise compiling as before. They only
// answer "valid or not" (allErrors off: stop at the first problem); the
// messages still come from the compiled, verbose validators, built only when
// a value is invalid. Two modules, one per ajv configuration in src/.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

export function precompileValidators(root) {
  const { Ajv } = require('ajv');
  const addFormats = require('ajv-formats');
  const standaloneCode = require('ajv/dist/standalone').default;
  const schemasDir = join(root, 'schemas');
  const outDir = join(root, 'build', 'src', 'transform', 'validate');
  mkdirSync(outDir, { recursive: true });
  const groups = {
    // as in src/transform/validate/schema-registry.ts
    input: { options: { strict: true, strictTypes: false, allowUnionTypes: true }, output: false },
    // as in src/transform/output/output-schemas.ts
    output: { options: {}, output: true },
  };
  const OUTPUT_FILES = ['queue-task', 'docker-worker-payload', 'generic-worker-payload', 'generic-worker-windows-payload', 'builtin-payload'];
  const names = readdirSync(schemasDir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)).sort();
  for (const [group, { options, output }] of Object.entries(groups)) {
    // messages off: these validators only answer valid or not, so the error objects
    // that failed oneOf/anyOf branches leave behind need no text.
    const ajv = new Ajv({ ...options, allErrors: false, messages: false, code: { source: true } });
    addFormats(ajv);
    // as src/transform/validate/ignored-keys.ts
    ajv.addKeyword('x-taskgraph-ignores-unknown-keys');
    const exported = {};
    const digests = {};
    // Top-level property names, for inputs that may carry keys their schema does not know (kind.yml).
    const properties = {};
    for (const name of names) {
      if (OUTPUT_FILES.includes(name) !== output) continue;
      const text = readFileSync(join(schemasDir, `${name}.yml`), 'utf8');
      const schema = parse(text);
      ajv.addSchema(schema);
      exported[name] = schema.$id;
      if (schema.properties) properties[name] = Object.keys(schema.properties);
      digests[name] = createHash('sha256').update(text).digest('hex');
    }
    for (const id of Object.values(exported)) ajv.getSchema(id); // compile each, with its references
    const code = standaloneCode(ajv, exported);
    writeFileSync(join(outDir, `standalone-${group}.cjs`), `${code}\nexports.__digests = ${JSON.stringify(digests)};\nexports.__properties = ${JSON.stringify(properties)};\n`);
  }
}
