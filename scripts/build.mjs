// Two outputs: the build-time half compiled by tsc into build/, and the runtime
// bundled by esbuild into the single file dist/run-task. The bundle is CommonJS
// so that it runs from any directory (an image COPYs it alone to
// /usr/local/bin); dist/package.json keeps it CommonJS inside this package too,
// whose own code is ESM.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'package.json'), '{"type": "commonjs"}\n');
const outfile = join(dist, 'run-task');
await build({
  entryPoints: [join(root, 'src/runtime/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);

// Validators generated ahead of time (ajv standalone code) for the schemas under
// schemas/, so that `generate` does not compile them in every process (about
// 0.3 s of CPU, more than validating 10,000 tasks). The schemas stay the single
// source: each generated module records the digest of every schema file it was
// generated from, and src/transform/validate/precompiled.ts uses a validator
// only while its file is unchanged, otherwise compiling as before. They only
// answer "valid or not" (allErrors off: stop at the first problem); the
// messages still come from the compiled, verbose validators, built only when
// a value is invalid. Two modules, one per ajv configuration in src/.
{
  const { Ajv } = require('ajv');
  const addFormats = require('ajv-formats');
  const standaloneCode = require('ajv/dist/standalone').default;
  const { parse } = await import('yaml');
  const { createHash } = await import('node:crypto');
  const { readFileSync, readdirSync } = await import('node:fs');
  const schemasDir = join(root, 'schemas');
  const outDir = join(root, 'build', 'src', 'transform', 'validate');
  mkdirSync(outDir, { recursive: true });
  const groups = {
    // as in src/transform/validate/schema-registry.ts
    input: { options: { strict: true, strictTypes: false, allowUnionTypes: true }, output: false },
    // as in src/transform/output/output-schemas.ts
    output: { options: {}, output: true },
  };
  const OUTPUT_FILES = ['queue-task', 'docker-worker-payload', 'generic-worker-payload'];
  const names = readdirSync(schemasDir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)).sort();
  for (const [group, { options, output }] of Object.entries(groups)) {
    // messages off: these validators only answer valid or not, so the error objects
    // that failed oneOf/anyOf branches leave behind need no text.
    const ajv = new Ajv({ ...options, allErrors: false, messages: false, code: { source: true } });
    addFormats(ajv);
    const exported = {};
    const digests = {};
    for (const name of names) {
      if (OUTPUT_FILES.includes(name) !== output) continue;
      const text = readFileSync(join(schemasDir, `${name}.yml`), 'utf8');
      const schema = parse(text);
      ajv.addSchema(schema);
      exported[name] = schema.$id;
      digests[name] = createHash('sha256').update(text).digest('hex');
    }
    for (const id of Object.values(exported)) ajv.getSchema(id); // compile each, with its references
    const code = standaloneCode(ajv, exported);
    writeFileSync(join(outDir, `standalone-${group}.cjs`), `${code}\nexports.__digests = ${JSON.stringify(digests)};\n`);
  }
}

// After the bundle, so that a type error elsewhere does not leave run-task unbuilt
// (the build still fails).
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

