// fetch-content task-artifacts: MOZ_FETCHES fetched into -d DEST by the same
// code as run-task's fetches, from a real queue-like server on 127.0.0.1.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers.js';
import { archive, listing, sampleTree } from '../fetch/archives.js';
import { artifactServer } from '../fetch/artifact-server.js';
import { fetchContent, namesIn } from './helpers.js';

test('task-artifacts extracts the MOZ_FETCHES artifacts into -d DEST, and names a missing one', async (t) => {
  const source = sampleTree(tempDir(t, 'fc-src'));
  const server = await artifactServer(t);
  server.add('TASKa', 'public/build/tool.tar.xz', { body: archive(source, 'tool', 'tar.xz') });
  server.add('TASKa', 'public/build/notes.txt', { body: Buffer.from('notes\n') });
  const out = tempDir(t, 'fc-out');
  const fetches = [
    { artifact: 'public/build/tool.tar.xz', task: 'TASKa', extract: true, dest: 'tools' },
    { artifact: 'public/build/notes.txt', task: 'TASKa', extract: false },
  ];
  const env = { TASKCLUSTER_ROOT_URL: server.url, MOZ_FETCHES: JSON.stringify(fetches), RUN_TASK_FETCH_RETRY_DELAY: '0.05' };
  const result = await fetchContent(['task-artifacts', '-d', join(out, 'fetches')], env);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.deepEqual(listing(join(out, 'fetches', 'tools', 'tool')), listing(join(source, 'tool')));
  assert.deepEqual(namesIn(join(out, 'fetches')), ['notes.txt', 'tools']);

  const missing = await fetchContent(['task-artifacts'], {
    ...env,
    MOZ_FETCHES_DIR: join(out, 'other'),
    MOZ_FETCHES: JSON.stringify([{ artifact: 'public/build/absent.zip', task: 'TASKa', extract: true }]),
  });
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /^error: cannot fetch public\/build\/absent\.zip of task TASKa from .*: the server answered HTTP 404/m);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const unset = await fetchContent(['task-artifacts', '-d', join(out, 'third')], { TASKCLUSTER_ROOT_URL: server.url });
  assert.equal(unset.status, 1, unset.stderr);
  assert.match(unset.stderr, /^error: MOZ_FETCHES is not set/m);
});
