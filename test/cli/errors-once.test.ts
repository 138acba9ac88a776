// An error is reported once, at its cause: a mistake in task-defaults is one
// line however many tasks inherit it, and an image that fails takes the images
// built on it along with one line saying so, not errors pointing elsewhere.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixtureRoot, fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-errors-once-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');

function treeWithEdit(name: string, file: string, from: string, to: string): string {
  const root = join(scratch, name);
  cpSync(fixtureRoot, root, { recursive: true });
  const text = readFileSync(join(root, file), 'utf8');
  assert.ok(text.includes(from), `${file} does not contain ${from}`);
  writeFileSync(join(root, file), text.replace(from, to));
  return root;
}

test('a mistake in task-defaults is said once, with the number of tasks that share it', () => {
  // A worker key taskgraph ignores (max-run-tim for max-run-time): a warning, said once for all the tasks.
  const ignored = treeWithEdit('defaults', 'kinds/lint/kind.yml', "            WIDGET_LINT: '1'", "            WIDGET_LINT: '1'\n        max-run-tim: 5");
  const warned = runCli(['generate', '--root', ignored, '--params', params]);
  assert.equal(warned.status, 0, warned.stderr);
  const lines = warned.stderr.split('\n').filter((l) => l.includes('max-run-tim'));
  assert.equal(lines.length, 1, warned.stderr);
  assert.match(lines[0]!, /kinds\/lint\/kind\.yml:\d+:\d+: worker\.max-run-tim: warning: unknown key "max-run-tim" is ignored, as taskgraph ignores it \(the same in \d+ tasks\)/);

  const root = treeWithEdit('defaults-error', 'kinds/lint/kind.yml', "            WIDGET_LINT: '1'", "            WIDGET_LINT: '1'\n        max-run-time: soon");
  const result = runCli(['generate', '--root', root, '--params', params]);
  assert.equal(result.status, 1);
  const errors = result.stderr.split('\n').filter((l) => l.includes('wrong type'));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0]!, /kinds\/lint\/kind\.yml:\d+:\d+: worker\.max-run-time: wrong type: .*\(the same in \d+ tasks\)/);
  assert.match(result.stderr, /tc-payload: 1 error; nothing was written/);
});

test('an image that fails is the only error; the image built on it is said to be skipped because of it', () => {
  const root = treeWithEdit('image', 'docker/base/Dockerfile', 'FROM ', '# %include no/such/file\nFROM ');
  const result = runCli(['generate', '--root', root, '--params', params]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /docker\/base\/Dockerfile:1:12: docker image "base": # %include no\/such\/file: .* does not exist/);
  assert.match(result.stderr, /kinds\/docker-image\/kind\.yml:\d+:\d+: parent: warning: docker-image-builder was skipped because docker-image-base, which it is built on, failed/);
  assert.doesNotMatch(result.stderr, /not a cached task of this graph/);
  assert.match(result.stderr, /tc-payload: 1 error; nothing was written/);
});

test('a worker alias that cannot be resolved is one error in config.yml, not one per task that uses it', () => {
  const root = treeWithEdit('alias', 'config.yml', "worker-type: t-linux", "worker-type: 't-linux-{levle}'");
  const result = runCli(['generate', '--root', root, '--params', params]);
  assert.equal(result.status, 1);
  const lines = result.stderr.split('\n').filter((l) => l.includes('levle'));
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /config\.yml:\d+:\d+: workers\.aliases\.t-linux\.worker-type: worker-type of worker alias "t-linux": no value named "levle"/);
});

test('an unknown worker alias names the nearest known one', () => {
  const root = treeWithEdit('alias-typo', 'kinds/lint/kind.yml', 'worker-type: t-linux', 'worker-type: t-linxu');
  const result = runCli(['generate', '--root', root, '--params', params]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kinds\/lint\/kind\.yml:\d+:\d+: worker-type: unknown worker alias "t-linxu" \(task lint-[a-z0-9]+\) \(expected .*; did you mean "t-linux"\?\)/);
});
