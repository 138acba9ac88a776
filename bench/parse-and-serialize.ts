// The floor that `generate` is compared with: parse every YAML file of the tree
// and serialize the same JSON output, nothing else. Run as its own process so
// both sides pay the same startup. It parses with the reader `generate` uses
// (js-yaml, YAML 1.2 core schema with merge keys), not the slower `yaml`
// package, so that the ratio measures the transform and not a parser choice.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, type Type } from 'js-yaml';

// As in src/transform/load/yaml-document.ts (@types/js-yaml lacks `types`).
const mergeType = (jsYaml as unknown as { types: { merge: Type } }).types.merge;
const schema = CORE_SCHEMA.extend({ implicit: [mergeType] });

const [root, outputJson, target] = process.argv.slice(2);
if (!root || !outputJson || !target) {
  process.stderr.write('usage: parse-and-serialize.js ROOT OUTPUT_JSON TARGET\n');
  process.exit(1);
}

function walk(dir: string, found: string[]): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (entry.endsWith('.yml')) found.push(path);
  }
  return found;
}

let documents = 0;
for (const file of walk(root, [])) {
  load(readFileSync(file, 'utf8'), { schema });
  documents++;
}
const output = JSON.parse(readFileSync(outputJson, 'utf8')) as unknown;
writeFileSync(target, JSON.stringify(output, null, 2) + '\n');
process.stderr.write(`${documents} YAML files\n`);
