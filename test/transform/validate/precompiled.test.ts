import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PAYLOAD_SCHEMA_FILES, QUEUE_TASK_SCHEMA_FILE, precompiledOutputCheck, queueTaskValidator } from '../../../src/transform/output/output-schemas.js';
import { schemasDir } from '../../../src/transform/package-paths.js';
import { precompiledCheck } from '../../../src/transform/validate/precompiled.js';
import { schemaRegistry } from '../../../src/transform/validate/schema-registry.js';

// The output group: the queue's schema and every payload schema generate checks its output against.
const OUTPUT = [...new Set([QUEUE_TASK_SCHEMA_FILE, ...Object.values(PAYLOAD_SCHEMA_FILES)])].map((f) => f.slice(0, -'.yml'.length));
const names = readdirSync(schemasDir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4));

describe('precompiled validators', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('exist for every schema file, in the group of the ajv configuration that compiles it', () => {
    for (const name of names) {
      const group = OUTPUT.includes(name) ? 'output' : 'input';
      assert.equal(typeof precompiledCheck(group, name), 'function', `${group}/${name}`);
    }
    assert.equal(precompiledCheck('input', 'no-such-schema'), undefined);
    for (const name of ['queue-task', 'docker-worker-payload', 'generic-worker-payload', 'generic-worker-windows-payload', 'builtin-payload']) {
      assert.ok(OUTPUT.includes(name), name);
    }
  });

  it('agree with the compiled validators on valid and invalid values', () => {
    const samples: unknown[] = [
      {},
      null,
      { description: 'x', 'worker-type': 'b-linux', worker: { 'docker-image': 'debian:12', 'max-run-time': 60, command: ['true'] } },
      { description: 'x', 'worker-type': 'b-linux', worker: {}, unknown: 1 },
      { transforms: ['taskgraph.transforms.task:transforms'], tasks: { a: {} } },
      { transforms: 'not-a-list' },
    ];
    for (const name of names.filter((n) => !OUTPUT.includes(n))) {
      const fast = precompiledCheck('input', name)!;
      const compiled = schemaRegistry().validator(name);
      for (const sample of samples) assert.equal(fast(sample), compiled(sample), `${name}: ${JSON.stringify(sample)}`);
    }
    const queue = precompiledOutputCheck('queue-task.yml')!;
    for (const sample of samples) assert.equal(queue(sample), queueTaskValidator()(sample));
  });

  it('are not used once a schema file of their group changed since the build, also one they only refer to', () => {
    const copy = (label: string) => {
      const dir = mkdtempSync(join(tmpdir(), `precompiled-${label}-`));
      dirs.push(dir);
      for (const name of names) copyFileSync(join(schemasDir, `${name}.yml`), join(dir, `${name}.yml`));
      return dir;
    };
    const same = copy('same');
    assert.equal(typeof precompiledCheck('input', 'docker-worker-description', same), 'function');
    // docker-worker-description.yml is unchanged, but its validator holds task-reference.yml.
    const edited = copy('edited');
    writeFileSync(join(edited, 'task-reference.yml'), `${readFileSync(join(schemasDir, 'task-reference.yml'), 'utf8')}\n# edited\n`);
    assert.equal(precompiledCheck('input', 'docker-worker-description', edited), undefined);
    assert.equal(precompiledCheck('input', 'kind', edited), undefined);
    // The output group was not generated from task-reference.yml.
    assert.equal(typeof precompiledCheck('output', 'queue-task', edited), 'function');
  });
});
