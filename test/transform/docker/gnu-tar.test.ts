import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CONTEXT_MTIME, gnuTarChunks, type TarMember } from '../../../src/transform/docker/gnu-tar.js';

const tmp = mkdtempSync(join(tmpdir(), 'gnu-tar-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const member = (name: string, mode: number, text: string): TarMember => ({ name, mode, content: () => Buffer.from(text) });
const archive = (members: TarMember[]) => Buffer.concat([...gnuTarChunks(members)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const longName = `topsrcdir/${'d/'.repeat(60)}file`;

test('the archive unpacks with tar: names (long ones too), contents, modes, owner and mtime', () => {
  const members = [
    member('Dockerfile', 0o644, 'FROM debian\n'),
    member('bin/run', 0o755, '#!/bin/sh\nexit 0\n'),
    member(longName, 0o600, 'deep\n'),
    member('naïve-名前', 0o644, 'x'.repeat(513)),
  ];
  const file = join(tmp, 'a.tar');
  writeFileSync(file, archive(members));
  const listing = spawnSync('tar', ['--numeric-owner', '--full-time', '-tvf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.equal(listing.status, 0, listing.stderr);
  const lines = listing.stdout.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^-rw-r--r-- 0\/0 +12 2016-01-01 00:00:00 Dockerfile$/);
  assert.match(lines[1]!, /^-rwxr-xr-x 0\/0 +17 2016-01-01 00:00:00 bin\/run$/);
  assert.match(lines[2]!, new RegExp(`^-rw------- 0/0 +5 2016-01-01 00:00:00 ${longName}$`));
  assert.match(lines[3]!, /^-rw-r--r-- 0\/0 +513 2016-01-01 00:00:00 naïve-名前$/);

  const out = join(tmp, 'out');
  mkdirSync(out);
  const extract = spawnSync('tar', ['-xf', file, '-C', out], { encoding: 'utf8' });
  assert.equal(extract.status, 0, extract.stderr);
  assert.equal(readFileSync(join(out, longName), 'utf8'), 'deep\n');
  assert.equal(readFileSync(join(out, 'naïve-名前'), 'utf8'), 'x'.repeat(513));
  assert.equal(statSync(join(out, 'bin/run')).mode & 0o777, 0o755);
  assert.equal(statSync(join(out, 'Dockerfile')).mtimeMs, CONTEXT_MTIME * 1000);
});

test('the bytes are those of CPython tarfile in taskgraph\'s settings, padded to whole 10 KiB records', () => {
  // Reference digests computed with CPython 3.11 tarfile: GNU format, uid/gid 0,
  // empty user and group, mtime 2016-01-01, device fields as zeros (taskgraph's
  // archive.py), members in name order.
  assert.equal(
    sha256(archive([member('short', 0o1755, ''), member(longName, 0o644, 'long')])),
    '3cafc7239048704a733e19237fef7ef285b940dc39619db88861b65c65bc8afc',
  );
  const names = ['w'.repeat(101), 'z'.repeat(100), `${'é'.repeat(50)}x`, 'é/naïve-ünicode-名前'];
  const texts: Record<string, string> = {
    [names[0]!]: '101',
    [names[1]!]: 'exactly 100',
    [names[2]!]: 'utf8 101 bytes',
    [names[3]!]: 'u',
  };
  const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.equal(
    sha256(archive(sorted.map((n) => member(n, 0o644, texts[n]!)))),
    '38e49468b24d6ded039d8b845bdeec8419ad2e31516fbee5697268d597861eb8',
  );
  assert.equal(archive([member('big', 0o644, 'q'.repeat(3 * 10240 + 7))]).length, 4 * 10240);
  assert.equal(archive([]).length, 10240);
});
