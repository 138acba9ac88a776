// src/generated/ must always be what scripts/generate-types.mjs makes of
// schemas/. The first test is the guard itself; the others show that the
// check really notices stale, missing and orphaned files, on a copy in a
// temporary directory so that the checkout is never touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../src/transform/package-paths.js';

const script = join(packageRoot, 'scripts', 'generate-types.mjs');

function generator(...args: string[]) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: packageRoot });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('generated types', () => {
  it('src/generated is up to date with schemas/ (run `npm run generate-types` if this fails)', () => {
    const r = generator('--check');
    assert.equal(r.status, 0, r.stderr);
    const schemas = readdirSync(join(packageRoot, 'schemas')).filter((f) => f.endsWith('.yml'));
    const generated = readdirSync(join(packageRoot, 'src', 'generated')).filter((f) => f.endsWith('.ts'));
    assert.deepEqual(generated.sort(), schemas.map((f) => f.replace(/\.yml$/, '.ts')).sort());
  });

  describe('the check, on a copy', () => {
    let dir: string;
    let schemas: string;
    let out: string;
    const check = () => generator('--check', '--schemas', schemas, '--out', out);

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tc-payload-generated-'));
      schemas = join(dir, 'schemas');
      out = join(dir, 'generated');
      // Only the output schemas: the check's behaviour must not depend on the
      // state of schemas that other work is changing.
      mkdirSync(schemas);
      for (const name of ['queue-task.yml', 'docker-worker-payload.yml', 'generic-worker-payload.yml']) {
        cpSync(join(packageRoot, 'schemas', name), join(schemas, name));
      }
      const r = generator('--schemas', schemas, '--out', out);
      assert.equal(r.status, 0, r.stderr);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('passes right after generating, and generating is deterministic', () => {
      assert.equal(check().status, 0);
      const firstRun = readFileSync(join(out, 'queue-task.ts'), 'utf8');
      assert.equal(generator('--schemas', schemas, '--out', out).status, 0);
      assert.equal(readFileSync(join(out, 'queue-task.ts'), 'utf8'), firstRun);
      assert.match(firstRun, /^\/\/ GENERATED FILE, DO NOT EDIT\. Generated from schemas\/queue-task\.yml\n\/\/ by `npm run generate-types`/);
      assert.match(firstRun, /export interface QueueTaskDefinition \{/);
      // The copy generates exactly what is committed.
      assert.equal(firstRun, readFileSync(join(packageRoot, 'src', 'generated', 'queue-task.ts'), 'utf8'));
    });

    it('fails listing a file whose schema changed', () => {
      const file = join(schemas, 'docker-worker-payload.yml');
      const original = readFileSync(file, 'utf8');
      try {
        writeFileSync(file, original.replace('  log:\n', '  logName:\n'));
        const r = check();
        assert.equal(r.status, 1);
        assert.match(r.stderr, /stale: .*docker-worker-payload\.ts/);
        assert.match(r.stderr, /npm run generate-types/);
        assert.doesNotMatch(r.stderr, /queue-task/);
      } finally {
        writeFileSync(file, original);
      }
      assert.equal(check().status, 0);
    });

    it('fails listing a missing file and an orphaned one', () => {
      const missing = join(out, 'generic-worker-payload.ts');
      const text = readFileSync(missing, 'utf8');
      unlinkSync(missing);
      writeFileSync(join(out, 'removed-schema.ts'), 'export type X = string;\n');
      try {
        const r = check();
        assert.equal(r.status, 1);
        assert.match(r.stderr, /missing: .*generic-worker-payload\.ts/);
        assert.match(r.stderr, /orphaned \(its schema is gone\): .*removed-schema\.ts/);
      } finally {
        writeFileSync(missing, text);
        unlinkSync(join(out, 'removed-schema.ts'));
      }
      assert.equal(check().status, 0);
    });

    it('generates a file for a new schema and removes the file of a deleted one', () => {
      writeFileSync(join(schemas, 'extra-thing.yml'), 'title: Extra Thing\ntype: object\nproperties:\n  a: {type: string}\n');
      assert.equal(check().status, 1);
      assert.equal(generator('--schemas', schemas, '--out', out).status, 0);
      assert.match(readFileSync(join(out, 'extra-thing.ts'), 'utf8'), /export interface ExtraThing \{\n\s+a\?: string;/);
      unlinkSync(join(schemas, 'extra-thing.yml'));
      assert.equal(generator('--schemas', schemas, '--out', out).status, 0);
      assert.ok(!readdirSync(out).includes('extra-thing.ts'));
      assert.equal(check().status, 0);
    });

    it('names a schema it cannot compile', () => {
      writeFileSync(join(schemas, 'broken.yml'), 'type: object\nproperties:\n  a: {$ref: "#/definitions/nowhere"}\n');
      try {
        const r = check();
        assert.equal(r.status, 1);
        assert.match(r.stderr, /cannot compile schemas\/broken\.yml/);
        // the other files are still checked, and still fine
        assert.doesNotMatch(r.stderr, /stale|missing|orphaned/);
      } finally {
        unlinkSync(join(schemas, 'broken.yml'));
      }
    });
  });
});
