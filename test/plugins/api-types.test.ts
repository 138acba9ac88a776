// The plugin API as a plugin's author gets it: a project of its own that has
// tc-payload in node_modules (a link to this package, as `npm install` of a
// path makes) and type-checks its transform with tsc against the package's
// "exports" and "types".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'plugin-api-types-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');

function typeCheck(name: string, source: string): { status: number | null; output: string } {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(dir, 'node_modules', 'tc-payload'));
  writeFileSync(join(dir, 'package.json'), '{"type": "module", "private": true}\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: [] }, include: ['*.ts'] }),
  );
  writeFileSync(join(dir, 'add_routes.ts'), source);
  const child = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  return { status: child.status, output: child.stdout + child.stderr };
}

test('a transform written against the exported API type-checks', () => {
  const result = typeCheck(
    'good',
    `import { TransformSequence, type TaskDescription, type TransformConfig } from 'tc-payload';
export const transforms = new TransformSequence();
transforms.add(function* addRoutes(config: TransformConfig, tasks: Iterable<TaskDescription>) {
  for (const task of tasks) {
    task.routes = [...(task.routes ?? []), \`index.\${String(config.params.project)}.\${task.name ?? ''}\`];
    yield task;
  }
});
transforms.add(async function* waits(_config, tasks) {
  for (const task of tasks) {
    await Promise.resolve();
    yield { ...task, description: \`waited for \${task.name ?? ''}\` };
  }
});
transforms.add(async (_config, tasks) => [...tasks].map((task) => ({ ...task, tags: { waited: 'yes' } })));
`,
  );
  assert.equal(result.status, 0, result.output);
});

test('a transform that yields the wrong thing does not type-check', () => {
  const result = typeCheck(
    'bad',
    `import { TransformSequence } from 'tc-payload';
export const transforms = new TransformSequence();
transforms.add(function* (config, tasks) {
  for (const task of tasks) yield task.name.length;
});
`,
  );
  assert.notEqual(result.status, 0);
  assert.match(result.output, /add_routes\.ts\(3,16\): error TS2345/);
});

test('a kind loader written against the exported API type-checks, and one that yields tasks without a name does not', () => {
  const good = typeCheck(
    'loader',
    `import type { Loader, LoadedTaskDescription, LoaderHelpers, Task } from 'tc-payload';
export const loader: Loader = async function* (kind, path, config, params, loadedTasks: readonly Task[], helpers: LoaderHelpers) {
  for (const task of helpers.defaultTasks()) yield { ...task, description: \`\${kind} at \${path} for \${String(params.project)}\` };
  for (const earlier of loadedTasks) {
    const made: LoadedTaskDescription = {
      name: \`after-\${earlier.label}\`,
      dependencies: { earlier: earlier.label, ...earlier.dependencies },
      attributes: { ...earlier.attributes, kinds: String(config['kind-dependencies']) },
      'worker-type': String(helpers.graphConfig['trust-domain']),
    };
    yield made;
  }
};
export const arrayLoader: Loader = (_kind, _path, _config, _params, loadedTasks) => loadedTasks.map((t) => ({ name: t.label, softDependencies: [...t.softDependencies] }));
`,
  );
  assert.equal(good.status, 0, good.output);

  const bad = typeCheck(
    'loader-bad',
    `import type { Loader } from 'tc-payload';
export const loader: Loader = (kind) => [{ description: kind }];
`,
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.output, /add_routes\.ts\(2,\d+\): error TS2322/);
});

test('a register function using every part of the Registry type-checks', () => {
  const result = typeCheck(
    'register',
    `import { resolveKeyedBy, type Registry, type RunUsing, type PayloadBuilder, type TaskDescription } from 'tc-payload';
const bare: RunUsing = {
  schema: { type: 'object', properties: { command: { type: 'string' } } },
  defaults: { workdir: '/builds/worker' },
  build(config, run, task) {
    task.worker = { ...task.worker, command: ['sh', '-c', String(run.command)], env: { LEVEL: String(config.params.level) } };
  },
};
const signing: PayloadBuilder = {
  schema: { type: 'object' },
  payloadSchema: { type: 'object' },
  build(_config, task, taskDef) {
    taskDef.scopes.push('project:signing');
    return { upstreamArtifacts: (task.worker ?? {})['upstream-artifacts'] as unknown[] };
  },
};
export function register(registry: Registry): void {
  registry.parameters({ schema: { properties: { release_type: { type: 'string' } } }, defaults: (graphConfig, params) => ({ release_type: String(params.project ?? graphConfig['trust-domain']) }) });
  registry.keyedBy('release-type', (task: Readonly<TaskDescription>, params) => (task.name === 'x' ? null : String(params.release_type)));
  registry.runUsing(['docker-worker', 'generic-worker'], 'bare', bare);
  registry.payloadBuilder('scriptworker-signing', signing);
}
export const sized: TaskDescription = resolveKeyedBy({ name: 'a', worker: { size: { 'by-level': { '3': 'large', default: 'small' } } } }, 'worker.size', 'a', { level: '3' });
`,
  );
  assert.equal(result.status, 0, result.output);
});

test('a payload builder returning something other than a payload does not type-check', () => {
  const result = typeCheck(
    'register-bad',
    `import type { Registry } from 'tc-payload';
export function register(registry: Registry): void {
  registry.payloadBuilder('scriptworker-signing', { schema: {}, build: () => 'signed' });
}
`,
  );
  assert.notEqual(result.status, 0);
  assert.match(result.output, /add_routes\.ts\(3,\d+\): error TS2322/);
});
