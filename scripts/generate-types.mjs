// Compiles every schemas/*.yml into src/generated/<name>.ts with
// json-schema-to-typescript, so that the code that builds or reads these
// documents is typed by the same schemas that validate them.
//
//   node scripts/generate-types.mjs            write the generated files
//   node scripts/generate-types.mjs --check    write nothing; exit 1 listing every
//                                              stale, missing or orphaned file
//   --schemas DIR / --out DIR                  other directories (used by the tests)
//
// The output depends only on the schema files: they are read in sorted order,
// nothing time- or machine-dependent goes into a file, and the formatting is
// fixed here rather than taken from any prettier config lying around.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compile } from 'json-schema-to-typescript';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMMAND = 'npm run generate-types';

const { values: args } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    schemas: { type: 'string', default: join(root, 'schemas') },
    out: { type: 'string', default: join(root, 'src', 'generated') },
  },
});
const schemasDir = resolve(args.schemas);
const outDir = resolve(args.out);

function banner(schemaFile) {
  return [
    `// GENERATED FILE, DO NOT EDIT. Generated from schemas/${schemaFile}`,
    `// by \`${COMMAND}\` (scripts/generate-types.mjs); edit the schema and rerun that.`,
    '/* eslint-disable */',
  ].join('\n');
}

/** `queue-task.yml` → `QueueTask`: the root type's name when the schema has no title. */
function typeNameFor(file) {
  return basename(file, '.yml')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

// Schemas refer to each other by $id (https://tc-payload.invalid/schemas/<name>.json),
// as ajv resolves them; here each such reference is read from schemas/<name>.yml.
const OUR_IDS = /^https:\/\/tc-payload\.invalid\/schemas\/([\w-]+)\.json$/;
const ourSchemas = {
  order: 1,
  canRead: (file) => OUR_IDS.test(file.url),
  read: (file) => JSON.stringify(parse(readFileSync(join(schemasDir, `${OUR_IDS.exec(file.url)[1]}.yml`), 'utf8'))),
};

async function generate(file) {
  const schema = parse(readFileSync(join(schemasDir, file), 'utf8'));
  return compile(schema, typeNameFor(file), {
    bannerComment: banner(file),
    cwd: schemasDir,
    $refOptions: { resolve: { ourSchemas } },
    // Tuples for minItems/maxItems make lists awkward to build in code; the
    // schema still enforces the lengths when the output is validated.
    ignoreMinAndMaxItems: true,
    unknownAny: true,
    format: true,
    style: {
      parser: 'typescript',
      printWidth: 120,
      singleQuote: true,
      trailingComma: 'all',
      tabWidth: 2,
      useTabs: false,
      semi: true,
      endOfLine: 'lf',
    },
  });
}

if (!existsSync(schemasDir)) {
  console.error(`generate-types: no schema directory at ${schemasDir}`);
  process.exit(1);
}
const schemaFiles = readdirSync(schemasDir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const wanted = new Map();
// A schema that does not compile is reported, and its generated file is left
// alone (neither rewritten nor deleted as an orphan); the run still fails.
const broken = new Set();
for (const file of schemaFiles) {
  try {
    wanted.set(`${basename(file, '.yml')}.ts`, await generate(file));
  } catch (error) {
    broken.add(`${basename(file, '.yml')}.ts`);
    console.error(`generate-types: cannot compile schemas/${file}: ${error instanceof Error ? error.message : error}`);
  }
}

const present = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.ts')) : [];
const shown = (file) => relative(process.cwd(), join(outDir, file)) || join(outDir, file);

if (args.check) {
  const problems = [];
  for (const [file, text] of wanted) {
    const path = join(outDir, file);
    if (!existsSync(path)) problems.push(`missing: ${shown(file)}`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`stale: ${shown(file)}`);
  }
  for (const file of present.sort()) {
    if (!wanted.has(file) && !broken.has(file)) problems.push(`orphaned (its schema is gone): ${shown(file)}`);
  }
  if (problems.length || broken.size) {
    console.error(`generated types are out of date with the schemas; run \`${COMMAND}\`:`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`generated types are up to date (${wanted.size} schemas)`);
} else {
  mkdirSync(outDir, { recursive: true });
  for (const file of present) {
    if (!wanted.has(file) && !broken.has(file)) rmSync(join(outDir, file));
  }
  for (const [file, text] of wanted) {
    const path = join(outDir, file);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  }
  console.log(`generated ${wanted.size} type files in ${shown('') || outDir}`);
  if (broken.size) process.exit(1);
}
