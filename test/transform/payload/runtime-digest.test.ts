import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runtimeDigest, sha256Hex } from '../../../src/contract.js';
import { readRuntimeDigest } from '../../../src/transform/runtime-digest.js';

const tmp = mkdtempSync(join(tmpdir(), 'runtime-digest-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the digest is the first 20 hex digits of the SHA-256 of the bundle, read once', () => {
  const bundle = join(tmp, 'run-task');
  writeFileSync(bundle, '#!/usr/bin/env node\nconsole.log(1)\n');
  const first = readRuntimeDigest(bundle);
  assert.deepEqual(first, { digest: sha256Hex('#!/usr/bin/env node\nconsole.log(1)\n').slice(0, 20) });
  assert.deepEqual(first, { digest: runtimeDigest(Buffer.from('#!/usr/bin/env node\nconsole.log(1)\n')) });
  writeFileSync(bundle, 'changed');
  assert.deepEqual(readRuntimeDigest(bundle), first);
});

test('a missing bundle is a clear error naming the file and npm run build', () => {
  const missing = join(tmp, 'no-such-run-task');
  const result = readRuntimeDigest(missing);
  assert.ok('error' in result);
  assert.ok(result.error.includes(missing));
  assert.match(result.error, /does not exist/);
  assert.match(result.error, /npm run build/);
});
