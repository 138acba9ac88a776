// What a fetched file is taken for, from its first bytes: real archives made
// by tar, the compressors and zip, and files that are none.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { archiveFormat, isTarHeader, SNIFF_BYTES } from '../../../src/runtime/fetch/archive-format.js';
import { tempDir } from '../helpers.js';
import { archive, sampleTree } from './archives.js';

test('each tar format and compression, and zip, is recognised from the start of the file', async (t) => {
  const root = sampleTree(tempDir(t, 'format'));
  assert.deepEqual(await archiveFormat(archive(root, 'tool', 'tar')), { kind: 'tar', compression: undefined });
  assert.deepEqual(await archiveFormat(archive(root, 'tool', 'tar.gz')), { kind: 'tar', compression: 'gzip' });
  assert.deepEqual(await archiveFormat(archive(root, 'tool', 'tar.bz2')), { kind: 'tar', compression: 'bzip2' });
  assert.deepEqual(await archiveFormat(archive(root, 'tool', 'tar.xz')), { kind: 'tar', compression: 'xz' });
  assert.deepEqual(await archiveFormat(archive(root, 'tool', 'tar.zst')), { kind: 'tar', compression: 'zstd' });
  assert.deepEqual(await archiveFormat(archive(root, 'tool', 'zip')), { kind: 'zip' });
  for (const format of ['v7', 'oldgnu', 'ustar', 'posix']) {
    const tar = execFileSync('tar', [`--format=${format}`, '-cf', '-', 'tool'], { cwd: root });
    assert.ok(isTarHeader(tar.subarray(0, 512)), format);
  }
});

test('only the start of a long compressed stream is needed, as the download gives it', async (t) => {
  const root = sampleTree(tempDir(t, 'format'));
  // Incompressible content: the first SNIFF_BYTES hold no complete bzip2 stream.
  execFileSync('sh', ['-c', 'head -c 12000000 /dev/urandom > tool/noise'], { cwd: root });
  for (const format of ['tar.bz2', 'tar.xz', 'tar.zst', 'tar.gz'] as const) {
    const whole = archive(root, 'tool', format);
    assert.ok(whole.length > SNIFF_BYTES);
    assert.equal((await archiveFormat(whole.subarray(0, SNIFF_BYTES))).kind, 'tar', format);
  }
});

test('files that are no archive are taken for what they are: text, a compressed single file, random bytes, an empty file, a tar end block', async (t) => {
  const dir = tempDir(t, 'format');
  const text = Buffer.from('hello\n'.repeat(200));
  assert.deepEqual(await archiveFormat(text), { kind: 'other' });
  assert.deepEqual(await archiveFormat(gzipSync(text)), { kind: 'other' });
  execFileSync('sh', ['-c', 'printf "one file\\n%.0s" $(seq 1 500) > f && zstd -q f && xz -k f && bzip2 -k f'], { cwd: dir });
  for (const name of ['f.zst', 'f.xz', 'f.bz2']) {
    assert.deepEqual(await archiveFormat(execFileSync('cat', [join(dir, name)])), { kind: 'other' }, name);
  }
  assert.deepEqual(await archiveFormat(randomBytes(4096)), { kind: 'other' });
  assert.deepEqual(await archiveFormat(Buffer.alloc(0)), { kind: 'other' });
  assert.deepEqual(await archiveFormat(Buffer.alloc(1024)), { kind: 'other' });
});
