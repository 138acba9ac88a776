// fetch-content static-url end to end: the built dist/fetch-content downloads
// real files (archives made by the real tar, gzip, xz, zstd and zip) from a
// real HTTP server on 127.0.0.1, and the real tar lists what it wrote.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../helpers.js';
import { archive, sampleTree } from '../fetch/archives.js';
import { fetchContent, fileServer, namesIn, tarEntries, tarMember, type FileServer } from './helpers.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const size = (data: Buffer | string) => String(Buffer.from(data).length);
/** Retries that do not make the suite wait. */
const FAST = { RUN_TASK_FETCH_ATTEMPTS: '3', RUN_TASK_FETCH_RETRY_DELAY: '0.05' };

/** Serves `body` at `path` and runs static-url for it into `dest` with the right digest and size, plus `extra`. */
function staticUrl(server: FileServer, path: string, body: Buffer | string, dest: string, extra: string[] = [], env: Record<string, string> = {}) {
  return fetchContent(['static-url', '--sha256', sha256(body), '--size', size(body), ...extra, `${server.url}${path}`, dest], { ...FAST, ...env });
}

function sampleArchives(t: TestContext) {
  const source = sampleTree(tempDir(t, 'fc-src'));
  return { source, tarGz: archive(source, 'tool', 'tar.gz'), tarXz: archive(source, 'tool', 'tar.xz'), zip: archive(source, 'tool', 'zip'), tarZst: archive(source, 'tool', 'tar.zst') };
}

/** A failed run: exit status 1, one error line naming `what`, no stack trace, and nothing left where DEST would be. */
function assertFailed(result: { status: number | null; stderr: string }, what: RegExp, dir: string, kept: string[] = []) {
  assert.equal(result.status, 1, result.stderr);
  const errors = result.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0]!, what);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(namesIn(dir), kept, 'no partial or temporary file left');
}

test('a tar.gz is repacked into .tar.zst with components stripped and a prefix added: no directories, modes and links kept; -H headers are sent', async (t) => {
  const { tarGz } = sampleArchives(t);
  const server = await fileServer(t);
  server.serve('/dl/tool-1.0.tar.gz', { body: tarGz, requireHeader: ['authorization', 'Bearer s3cret'] });
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'nested', 'tool.tar.zst');
  const result = await staticUrl(server, '/dl/tool-1.0.tar.gz', tarGz, dest, [
    '--strip-components',
    '1',
    '--add-prefix',
    'pre/',
    '-H',
    'Authorization: Bearer s3cret',
    '-H',
    'User-Agent:widget-ci',
  ]);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.deepEqual(tarEntries(dest).sort(), ['-rw-r--r-- 0/0 pre/share/doc/README', '-rwxr-xr-x 0/0 pre/bin/run', 'lrwxrwxrwx 0/0 pre/run -> bin/run']);
  assert.equal(tarMember(dest, 'pre/bin/run'), '#!/bin/sh\necho tool runs\n');
  assert.deepEqual(namesIn(join(out, 'nested')), ['tool.tar.zst'], 'the download itself is gone');
  assert.match(result.stdout, /size and sha256 verified/);
  assert.deepEqual(server.requests.map((r) => r.headers['user-agent']), ['widget-ci'], 'the given User-Agent, not ours beside it');
  assert.equal(server.requests[0]!.rawHeaders.filter((h) => h.toLowerCase() === 'user-agent').length, 1);
});

test('a zip becomes a .tar.zst of its files and links, in the zip\'s modes', async (t) => {
  const { zip } = sampleArchives(t);
  const server = await fileServer(t);
  server.serve('/tool.zip', { body: zip });
  const out = tempDir(t, 'fc-out');
  const result = await staticUrl(server, '/tool.zip', zip, join(out, 'tool.tar.zst'));
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.deepEqual(tarEntries(join(out, 'tool.tar.zst')).sort(), [
    '-rw-r--r-- 0/0 tool/share/doc/README',
    '-rwxr-xr-x 0/0 tool/bin/run',
    'lrwxrwxrwx 0/0 tool/run -> bin/run',
  ]);
  assert.equal(tarMember(join(out, 'tool.tar.zst'), 'tool/share/doc/README'), 'the tool tool\n'.repeat(200));
  assert.deepEqual(namesIn(out), ['tool.tar.zst']);
});

test('a tar.xz without renaming is only recompressed: the same entries, directories included', async (t) => {
  const { tarXz } = sampleArchives(t);
  const server = await fileServer(t);
  server.serve('/tool.tar.xz', { body: tarXz });
  const out = tempDir(t, 'fc-out');
  const original = join(out, 'original.tar.xz');
  writeFileSync(original, tarXz);
  const result = await staticUrl(server, '/tool.tar.xz', tarXz, join(out, 'tool.tar.zst'));
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const entries = tarEntries(join(out, 'tool.tar.zst'));
  assert.deepEqual(entries, tarEntries(original, 'any'));
  assert.ok(entries.includes('drwxr-xr-x 0/0 tool/empty/'), entries.join('\n'));
});

test('a file whose name matches DEST\'s extensions, or an executable renamed, is kept byte for byte', async (t) => {
  const { tarZst } = sampleArchives(t);
  const server = await fileServer(t);
  server.serve('/tool-1.0.tar.zst', { body: tarZst });
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 7)]);
  server.serve('/python-3.8.10-amd64.exe', { body: exe });
  const out = tempDir(t, 'fc-out');
  const first = await staticUrl(server, '/tool-1.0.tar.zst', tarZst, join(out, 'tool.tar.zst'));
  assert.equal(first.status, 0, first.stderr);
  assert.ok(readFileSync(join(out, 'tool.tar.zst')).equals(tarZst));
  const second = await staticUrl(server, '/python-3.8.10-amd64.exe', exe, join(out, 'python.exe'));
  assert.equal(second.status, 0, second.stderr);
  assert.ok(readFileSync(join(out, 'python.exe')).equals(exe));
  assert.deepEqual(namesIn(out), ['python.exe', 'tool.tar.zst']);
});

test('--force-archive puts a single file into a tar: 0755 for an ELF executable, 0644 otherwise, renamed like archive entries', async (t) => {
  const server = await fileServer(t);
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(200, 1)]);
  const text = 'just text\n';
  server.serve('/bin/tool', { body: elf });
  server.serve('/notes.txt', { body: text });
  const out = tempDir(t, 'fc-out');
  const a = await staticUrl(server, '/bin/tool', elf, join(out, 'tool.tar.zst'), ['--force-archive', '--add-prefix', 'bin/']);
  assert.equal(a.status, 0, a.stderr);
  assert.deepEqual(tarEntries(join(out, 'tool.tar.zst')), ['-rwxr-xr-x 0/0 bin/tool']);
  assert.ok(execFileSync('tar', ['-I', 'zstd', '-xOf', join(out, 'tool.tar.zst'), 'bin/tool']).equals(elf));
  const b = await staticUrl(server, '/notes.txt', text, join(out, 'notes.tar.zst'), ['--force-archive']);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(tarEntries(join(out, 'notes.tar.zst')), ['-rw-r--r-- 0/0 notes.txt']);
  assert.equal(tarMember(join(out, 'notes.tar.zst'), 'notes.txt'), text);
});

test('a sha256 or size mismatch fails after the retries, and neither DEST nor a temporary file is left', async (t) => {
  const { tarGz } = sampleArchives(t);
  const server = await fileServer(t);
  server.serve('/tool.tar.gz', { body: tarGz });
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'tool.tar.zst');
  const wrong = sha256('something else');
  const digest = await fetchContent(['static-url', '--sha256', wrong, '--size', size(tarGz), `${server.url}/tool.tar.gz`, dest], FAST);
  assertFailed(digest, new RegExp(`sha256 mismatch: expected ${wrong} \\(--sha256\\), the ${tarGz.length} bytes received have ${sha256(tarGz)} \\(attempt 3, the last\\)`), out);
  assert.equal(server.requests.length, 3, 'tried RUN_TASK_FETCH_ATTEMPTS times');
  const length = await fetchContent(['static-url', '--sha256', sha256(tarGz), '--size', '12', `${server.url}/tool.tar.gz`, dest], FAST);
  assertFailed(length, new RegExp(`size mismatch: expected 12 bytes, the server announces ${tarGz.length}`), out);
});

test('a 404 fails at once (it will not change), a 503 after every attempt; a DEST already there is kept', async (t) => {
  const server = await fileServer(t);
  server.serve('/busy.tar.gz', { body: '', status: 503 });
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'tool.tar.zst');
  writeFileSync(dest, 'from before');
  const missing = await fetchContent(['static-url', '--sha256', sha256(''), '--size', '0', `${server.url}/absent.tar.gz`, dest], FAST);
  assertFailed(missing, new RegExp(`cannot download ${server.url}/absent.tar.gz: the server answered HTTP 404`), out, ['tool.tar.zst']);
  assert.equal(server.requests.filter((r) => r.path === '/absent.tar.gz').length, 1);
  const busy = await fetchContent(['static-url', '--sha256', sha256(''), '--size', '0', `${server.url}/busy.tar.gz`, dest], FAST);
  assertFailed(busy, /the server answered HTTP 503.*\(attempt 3, the last\)/, out, ['tool.tar.zst']);
  assert.equal(server.requests.filter((r) => r.path === '/busy.tar.gz').length, 3);
  assert.equal(readFileSync(dest, 'utf8'), 'from before');
});

test('stripping every component, a DEST that is not .tar.zst, or a non-archive without --force-archive: a clear error, nothing written', async (t) => {
  const { tarGz } = sampleArchives(t);
  const server = await fileServer(t);
  server.serve('/tool.tar.gz', { body: tarGz });
  server.serve('/notes.txt', { body: 'text\n' });
  const out = tempDir(t, 'fc-out');
  const strip = await staticUrl(server, '/tool.tar.gz', tarGz, join(out, 'tool.tar.zst'), ['--strip-components', '3']);
  assertFailed(strip, /--strip-components 3 would remove files: the archive's "tool\/[^"]+" has no more than 3 components/, out);
  const xz = await staticUrl(server, '/tool.tar.gz', tarGz, join(out, 'tool.tar.xz'));
  assertFailed(xz, /cannot repack tool\.tar\.gz into .*tool\.tar\.xz: only \.tar\.zst archives are produced/, out);
  const plain = await staticUrl(server, '/notes.txt', 'text\n', join(out, 'notes.tar.zst'));
  assertFailed(plain, /notes\.txt is not an archive .*pass --force-archive/, out);
});

test('--gpg-sig-url: a file signed with the key in --gpg-key-env is accepted; a signature of other bytes fails and leaves nothing', async (t) => {
  const gnupg = tempDir(t, 'fc-gnupg');
  mkdirSync(join(gnupg, 'home'), { mode: 0o700 });
  const home = join(gnupg, 'home');
  const gpg = (args: string[], input?: string) => execFileSync('gpg', ['--homedir', home, '--batch', '--yes', ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => void execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home } }));
  gpg(['--passphrase', '', '--quick-gen-key', 'fetch-content test <test@example.com>', 'ed25519', 'sign', 'never']);
  const publicKey = gpg(['--armor', '--export']);
  const { tarGz } = sampleArchives(t);
  const signed = join(gnupg, 'tool.tar.gz');
  writeFileSync(signed, tarGz);
  gpg(['--armor', '--detach-sign', '--output', `${signed}.asc`, signed]);
  const other = join(gnupg, 'other');
  writeFileSync(other, 'other bytes');
  gpg(['--armor', '--detach-sign', '--output', `${other}.asc`, other]);

  const server = await fileServer(t);
  server.serve('/tool.tar.gz', { body: tarGz });
  server.serve('/tool.tar.gz.asc', { body: readFileSync(`${signed}.asc`) });
  server.serve('/wrong.asc', { body: readFileSync(`${other}.asc`) });
  const out = tempDir(t, 'fc-out');
  const good = await staticUrl(server, '/tool.tar.gz', tarGz, join(out, 'tool.tar.zst'), ['--gpg-sig-url', `${server.url}/tool.tar.gz.asc`, '--gpg-key-env', 'TOOL_KEY'], { TOOL_KEY: publicKey });
  assert.equal(good.status, 0, good.stderr + good.stdout);
  assert.match(good.stdout, /GPG signature verified/);
  assert.equal(tarEntries(join(out, 'tool.tar.zst')).length, 8, 'the tar recompressed, all its entries');

  const bad = tempDir(t, 'fc-out');
  const refused = await staticUrl(server, '/tool.tar.gz', tarGz, join(bad, 'tool.tar.zst'), ['--gpg-sig-url', `${server.url}/wrong.asc`, '--gpg-key-env', 'TOOL_KEY'], { TOOL_KEY: publicKey });
  assertFailed(refused, /GPG signature verification failed for .*tool\.tar\.gz: gpg .*--verify .* exited with status 1: .*BAD signature/i, bad);
  const noKey = await staticUrl(server, '/tool.tar.gz', tarGz, join(bad, 'tool.tar.zst'), ['--gpg-sig-url', `${server.url}/tool.tar.gz.asc`, '--gpg-key-env', 'TOOL_KEY']);
  assertFailed(noKey, /the environment variable TOOL_KEY is not set/, bad);
});

test('a command line fetch-content cannot read exits with status 2 and the usage', async (t) => {
  const out = tempDir(t, 'fc-out');
  const cases: [string[], RegExp][] = [
    [['static-url', '--sha256', sha256(''), 'http://127.0.0.1:1/x', join(out, 'x')], /--size is required/],
    [['static-url', '--sha256', 'abc', '--size', '1', 'http://127.0.0.1:1/x', join(out, 'x')], /--sha256 "abc" is not a SHA-256/],
    [['static-url', '--sha256', sha256(''), '--size', '1', '--gpg-sig-url', 'http://127.0.0.1:1/s', 'http://127.0.0.1:1/x', join(out, 'x')], /--gpg-sig-url and --gpg-key-env must both be given/],
    [['static-url', '--sha256', sha256(''), '--size', '1', '-H', 'no colon', 'http://127.0.0.1:1/x', join(out, 'x')], /-H "no colon" is not a header/],
    [['git-checkout-archive', 'repo'], /missing COMMIT and DEST/],
    [['task-artifacts'], /no destination directory: pass -d DEST or set MOZ_FETCHES_DIR/],
    [['unpack'], /unknown subcommand "unpack"/],
  ];
  for (const [args, message] of cases) {
    const result = await fetchContent(args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^usage: fetch-content /);
    assert.match(result.stderr, message);
  }
  assert.deepEqual(namesIn(out), []);
  assert.equal(existsSync(join(out, 'x')), false);
});

test('renaming a pax tar keeps long names whole and moves hard links with their targets', async (t) => {
  const dir = tempDir(t, 'fc-src');
  const long = `top/${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(40)}.txt`;
  mkdirSync(join(dir, long, '..'), { recursive: true });
  writeFileSync(join(dir, long), 'long\n');
  writeFileSync(join(dir, 'top', 'a'), 'same inode\n');
  execFileSync('ln', [join(dir, 'top', 'a'), join(dir, 'top', 'b')]);
  const tar = execFileSync('tar', ['--format=pax', '--sort=name', '-cf', '-', 'top'], { cwd: dir });
  const server = await fileServer(t);
  server.serve('/top.tar', { body: tar });
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'top.tar.zst');
  const result = await staticUrl(server, '/top.tar', tar, dest, ['--strip-components', '1', '--add-prefix', 'new/']);
  assert.equal(result.status, 0, result.stderr);
  const renamedLong = `new/${long.slice('top/'.length)}`;
  assert.deepEqual(tarEntries(dest).map((e) => e.replace(/^\S+ \S+ /, '')), ['new/a', 'new/b link to new/a', renamedLong]);
  assert.equal(tarMember(dest, renamedLong), 'long\n');
  const unpacked = tempDir(t, 'fc-unpacked');
  execFileSync('tar', ['-I', 'zstd', '-xf', dest, '-C', unpacked]);
  assert.equal(readFileSync(join(unpacked, 'new', 'b'), 'utf8'), 'same inode\n');
});

test('a truncated archive (whose digest was given as it is) fails in the repack with the decompressor\'s complaint, and leaves nothing', async (t) => {
  // Cut in the middle of a file's bytes: the tar entry has begun when the input ends.
  const dir = tempDir(t, 'fc-src');
  mkdirSync(join(dir, 'top'));
  writeFileSync(join(dir, 'top', 'noise'), randomBytes(256 * 1024));
  const tarGz = execFileSync('tar', ['-czf', '-', 'top'], { cwd: dir });
  const truncated = tarGz.subarray(0, Math.floor(tarGz.length / 2));
  const server = await fileServer(t);
  server.serve('/tool.tar.gz', { body: truncated });
  const out = tempDir(t, 'fc-out');
  const recompress = await staticUrl(server, '/tool.tar.gz', truncated, join(out, 'tool.tar.zst'));
  assertFailed(recompress, /gzip -d -c .* exited with status 1: .*unexpected end of file/, out);
  const rename = await staticUrl(server, '/tool.tar.gz', truncated, join(out, 'tool.tar.zst'), ['--strip-components', '1']);
  assertFailed(rename, /cannot read the tar tool\.tar\.gz: |gzip -d -c .* exited with status 1: .*unexpected end of file/, out);
});
