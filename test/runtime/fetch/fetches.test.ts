// Fetches end to end: the built dist/run-task, as root switching to a real
// user, downloads real archives from a real HTTP server on 127.0.0.1 into
// MOZ_FETCHES_DIR before the command runs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { asUser, ownLines, runTask, runTaskBundle, tempDir, testUser, type RunResult } from '../helpers.js';
import { archive, FORMATS, listing, owners, sampleTree } from './archives.js';
import { artifactServer, type ArtifactServer } from './artifact-server.js';

const user = testUser('rtfetch');

interface Run extends RunResult {
  workdir: string;
  fetches: string;
  lines: string[];
}

/** run-task in a new directory of the user's, with MOZ_FETCHES_DIR=fetches, running `command` after the fetches. */
async function fetchRun(
  t: TestContext,
  server: ArtifactServer,
  fetches: unknown,
  env: Record<string, string | undefined> = {},
  command = ['sh', '-c', 'echo command ran; id -u'],
  workdir = tempDir(t, 'fetch-work'),
): Promise<Run> {
  chownSync(workdir, user.uid, user.gid);
  const result = await runTask([...asUser(user), '--', ...command], {
    cwd: workdir,
    env: {
      TASKCLUSTER_ROOT_URL: server.url,
      MOZ_FETCHES: typeof fetches === 'string' ? fetches : JSON.stringify(fetches),
      MOZ_FETCHES_DIR: 'fetches',
      RUN_TASK_FETCH_RETRY_DELAY: '0.05',
      ...env,
    },
  });
  return { ...result, workdir, fetches: join(workdir, 'fetches'), lines: ownLines(result.text, 'fetches') };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Nothing but the results: no temporary file, no staging directory left behind. */
function assertNoLeftovers(dir: string): void {
  if (!existsSync(dir)) return;
  const leftovers = listing(dir).filter((line) => line.includes('.run-task-fetch-'));
  assert.deepEqual(leftovers, [], `temporary entries left in ${dir}`);
}

test('every archive format is extracted into MOZ_FETCHES_DIR, the same tree as was archived, owned by the task user', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const expected = listing(join(source, 'tool'));
  const server = await artifactServer(t);
  const fetches: { artifact: string; task: string; extract: boolean; dest: string }[] = FORMATS.map((format) => {
    server.add('TASKa', `public/build/tool.${format}`, { body: archive(source, 'tool', format) });
    return { artifact: `public/build/tool.${format}`, task: 'TASKa', extract: true, dest: format };
  });
  // Zeros after the end of a tar: tar stops reading at its end marker, and the rest still downloads.
  const padded = Buffer.concat([archive(source, 'tool', 'tar'), Buffer.alloc(3_000_000)]);
  server.add('TASKa', 'public/build/padded.tar', { body: padded });
  fetches.push({ artifact: 'public/build/padded.tar', task: 'TASKa', extract: true, dest: 'padded' });
  const run = await fetchRun(t, server, fetches);
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['command ran', String(user.uid)]);
  for (const format of [...FORMATS, 'padded']) {
    const dir = join(run.fetches, format);
    assert.deepEqual(readdirSync(dir), ['tool'], `${format}: only the archive's content, the archive itself removed`);
    assert.deepEqual(listing(join(dir, 'tool')), expected, format);
    assert.deepEqual([...owners(dir)], [`${user.uid}:${user.gid}`], format);
  }
  assert.match(run.text, /\[fetches [^\]]+\] fetching 7 artifacts into .*\/fetches/);
  for (const format of FORMATS) {
    assert.ok(
      run.lines.some((l) => l.startsWith(`public/build/tool.${format}: `) && l.endsWith(`extracted into ${join(run.fetches, format)}`)),
      `${format} reported extracted:\n${run.lines.join('\n')}`,
    );
  }
  assert.ok(run.lines.some((l) => l.startsWith(`public/build/padded.tar: ${padded.length} bytes, sha256 ${sha256(padded)}`)), run.text);
  assert.ok(run.lines.at(-1)!.startsWith('finished fetching 7 artifacts in '), run.text);
  assertNoLeftovers(run.fetches);
  // The fetches come before the command, which runs with MOZ_FETCHES_DIR absolute.
  assert.ok(run.text.indexOf('finished fetching') < run.text.indexOf('[task '));
});

test('extract: false keeps the file byte for byte under the artifact\'s last name; a non-archive with extract: true is kept too', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const zst = archive(source, 'tool', 'tar.zst');
  const text = Buffer.from('not an archive\n');
  const server = await artifactServer(t);
  server.add('TASKb', 'public/build/tool.tar.zst', { body: zst });
  server.add('TASKb', 'public/notes/release notes.txt', { body: text });
  // A single compressed file is no tar: kept compressed, as fetch-content keeps it.
  const single = gzipSync(Buffer.from('one file\n'.repeat(1000)));
  server.add('TASKb', 'public/logs/live.log.gz', { body: single });
  const run = await fetchRun(
    t,
    server,
    [
      { artifact: 'public/build/tool.tar.zst', task: 'TASKb', extract: false, dest: 'raw' },
      { artifact: 'public/notes/release notes.txt', task: 'TASKb', extract: true },
      { artifact: 'public/logs/live.log.gz', task: 'TASKb', extract: true },
    ],
    {},
    ['sh', '-c', 'cat "$MOZ_FETCHES_DIR/release notes.txt"'],
  );
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['not an archive']);
  assert.deepEqual(readFileSync(join(run.fetches, 'raw', 'tool.tar.zst')), zst);
  assert.deepEqual(readFileSync(join(run.fetches, 'release notes.txt')), text);
  assert.deepEqual(readFileSync(join(run.fetches, 'live.log.gz')), single);
  assert.deepEqual(readdirSync(run.fetches).sort(), ['live.log.gz', 'raw', 'release notes.txt']);
  assert.ok(run.lines.some((l) => l.startsWith('public/logs/live.log.gz: ') && l.includes('not an archive')), run.text);
  // The name is quoted in the URL as fetch-content quotes it.
  assert.ok(server.requests.includes('GET /api/queue/v1/task/TASKb/artifacts/public/notes/release%20notes.txt'), server.requests.join('\n'));
  assertNoLeftovers(run.fetches);
});

test('fetches into one directory merge: directories both archives have are combined, a file of the later one replaces the earlier', async (t) => {
  const one = sampleTree(tempDir(t, 'fetch-one'), 'tool', ' one');
  const two = tempDir(t, 'fetch-two');
  mkdirSync(join(two, 'tool', 'bin'), { recursive: true });
  writeFileSync(join(two, 'tool', 'bin', 'other'), 'other\n');
  const server = await artifactServer(t);
  server.add('TASKc', 'public/one.tar.xz', { body: archive(one, 'tool', 'tar.xz') });
  server.add('TASKc', 'public/two.tar.gz', { body: archive(two, 'tool', 'tar.gz') });
  const run = await fetchRun(t, server, [
    { artifact: 'public/one.tar.xz', task: 'TASKc', extract: true },
    { artifact: 'public/two.tar.gz', task: 'TASKc', extract: true },
  ]);
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(readdirSync(join(run.fetches, 'tool', 'bin')).sort(), ['other', 'run']);
  assert.equal(readFileSync(join(run.fetches, 'tool', 'share', 'doc', 'README'), 'utf8').split('\n')[0], 'the tool tool one');
  assertNoLeftovers(run.fetches);
});

test('an artifact that is not public is fetched through TASKCLUSTER_PROXY_URL; without it, an error says to enable the proxy', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const queue = await artifactServer(t);
  const proxy = await artifactServer(t);
  proxy.add('TASKd', 'acme/compile/out.tar.zst', { body: archive(source, 'tool', 'tar.zst') });
  const fetches = [{ artifact: 'acme/compile/out.tar.zst', task: 'TASKd', extract: true }];
  const run = await fetchRun(t, queue, fetches, { TASKCLUSTER_PROXY_URL: `${proxy.url}/` });
  assert.equal(run.status, 0, run.text);
  assert.ok(existsSync(join(run.fetches, 'tool', 'bin', 'run')));
  assert.deepEqual(queue.requests, []);
  assert.equal(proxy.requests[0], 'GET /api/queue/v1/task/TASKd/artifacts/acme/compile/out.tar.zst');

  const without = await fetchRun(t, queue, fetches);
  assert.equal(without.status, 1, without.text);
  assert.match(without.lines[0]!, /^error: cannot fetch acme\/compile\/out\.tar\.zst: it is not public .* TASKCLUSTER_PROXY_URL is not set$/);
  assert.match(without.text, /taskclusterProxy/);
  assert.deepEqual(without.taskLines, [], 'the command does not run');
});

test('verify-hash: the sha256 of the producing task\'s chain-of-trust.json is checked; a wrong one fails after the attempts, leaving nothing', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const body = archive(source, 'tool', 'tar.bz2');
  const server = await artifactServer(t);
  server.add('GOOD', 'public/tool.tar.bz2', { body });
  server.add('GOOD', 'public/chain-of-trust.json', { body: Buffer.from(JSON.stringify({ artifacts: { 'public/tool.tar.bz2': { sha256: sha256(body) } } })) });
  const fetches = (task: string) => [{ artifact: 'public/tool.tar.bz2', task, extract: true, 'verify-hash': true }];
  const good = await fetchRun(t, server, fetches('GOOD'));
  assert.equal(good.status, 0, good.text);
  assert.ok(good.lines.some((l) => l.includes(`sha256 ${sha256(body)} (verified)`)), good.text);
  assert.ok(existsSync(join(good.fetches, 'tool', 'bin', 'run')));

  const wrong = 'ab'.repeat(32);
  server.add('BAD', 'public/tool.tar.bz2', { body });
  server.add('BAD', 'public/chain-of-trust.json', { body: Buffer.from(JSON.stringify({ artifacts: { 'public/tool.tar.bz2': { sha256: wrong } } })) });
  const bad = await fetchRun(t, server, fetches('BAD'), { RUN_TASK_FETCH_ATTEMPTS: '2' });
  assert.equal(bad.status, 1, bad.text);
  const url = `${server.url}/api/queue/v1/task/BAD/artifacts/public/tool.tar.bz2`;
  assert.ok(
    bad.lines.includes(
      `error: cannot fetch public/tool.tar.bz2 of task BAD from ${url}: sha256 mismatch: expected ${wrong} (from the chain of trust), ` +
        `the ${body.length} bytes received have ${sha256(body)} (attempt 2, the last)`,
    ),
    bad.text,
  );
  assert.equal(server.requests.filter((r) => r.startsWith('GET /storage/BAD/artifacts/public/tool.tar.bz2')).length, 2);
  // Extracted while downloading, but only into a staging directory, removed with it.
  assert.deepEqual(readdirSync(bad.fetches), []);
  assert.deepEqual(bad.taskLines, []);

  server.add('NOCOT', 'public/tool.tar.bz2', { body });
  const missing = await fetchRun(t, server, fetches('NOCOT'));
  assert.equal(missing.status, 1, missing.text);
  assert.match(missing.text, /verify-hash is set, and its expected sha256 cannot be read from the task's chain of trust: the server answered HTTP 404 Not Found \(ResourceNotFound: Artifact not found\)/);
  assert.match(missing.text, /check that task NOCOT made an artifact named public\/chain-of-trust\.json/);
});

test('a 404 fails at once, naming the artifact, its URL, the answer and what to check; the other fetches still complete', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const server = await artifactServer(t);
  server.add('TASKe', 'public/ok.tar.gz', { body: archive(source, 'tool', 'tar.gz') });
  const run = await fetchRun(t, server, [
    { artifact: 'public/missing.tar.zst', task: 'TASKe', extract: true },
    { artifact: 'public/ok.tar.gz', task: 'TASKe', extract: true },
  ]);
  assert.equal(run.status, 1, run.text);
  const url = `${server.url}/api/queue/v1/task/TASKe/artifacts/public/missing.tar.zst`;
  assert.ok(
    run.lines.includes(`error: cannot fetch public/missing.tar.zst of task TASKe from ${url}: the server answered HTTP 404 Not Found (ResourceNotFound: Artifact not found)`),
    run.text,
  );
  assert.ok(run.lines.some((l) => l.startsWith('error: check that task TASKe made an artifact named public/missing.tar.zst')), run.text);
  assert.equal(run.lines.at(-1), run.lines.find((l) => /^error: 1 of 2 fetches failed \(after [\d.]+ s\); the command does not run$/.test(l)));
  assert.equal(server.requests.filter((r) => r.includes('missing')).length, 2, 'one request and its redirect: no retry');
  assert.deepEqual(run.taskLines, []);
});

test('a server error is retried with a back-off, and the fetch succeeds when the server recovers', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const server = await artifactServer(t);
  server.add('TASKf', 'public/tool.tar.zst', { body: archive(source, 'tool', 'tar.zst'), failFirst: 2 });
  const run = await fetchRun(t, server, [{ artifact: 'public/tool.tar.zst', task: 'TASKf', extract: true }]);
  assert.equal(run.status, 0, run.text);
  const retries = run.lines.filter((l) => l.includes('failed: the server answered HTTP 500'));
  assert.deepEqual(
    retries.map((l) => l.replace(/in [\d.]+ s$/, 'in N s')),
    [1, 2].map((n) => `public/tool.tar.zst: attempt ${n} of 5 failed: the server answered HTTP 500 Internal Server Error (InternalServerError: try again); trying again in N s`),
  );
  assert.ok(existsSync(join(run.fetches, 'tool', 'bin', 'run')));
});

test('a transfer cut short is retried, then fails naming how much arrived; nothing partial is left', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const zst = archive(source, 'tool', 'tar.zst');
  const big = Buffer.alloc(200_000, 'x');
  const server = await artifactServer(t);
  server.add('TASKg', 'public/tool.tar.zst', { body: zst, truncateAt: Math.floor(zst.length / 2) });
  server.add('TASKg', 'public/data.bin', { body: big, truncateAt: 100_000 });
  const run = await fetchRun(
    t,
    server,
    [
      { artifact: 'public/tool.tar.zst', task: 'TASKg', extract: true },
      { artifact: 'public/data.bin', task: 'TASKg', extract: false },
    ],
    { RUN_TASK_FETCH_ATTEMPTS: '3' },
  );
  assert.equal(run.status, 1, run.text);
  const errors = run.lines.filter((l) => l.startsWith('error: cannot fetch'));
  assert.equal(errors.length, 2, run.text);
  for (const [name, size] of [['public/tool.tar.zst', zst.length], ['public/data.bin', big.length]] as const) {
    const line = errors.find((l) => l.includes(` ${name} `))!;
    assert.match(line, new RegExp(`from ${server.url}/api/queue/v1/task/TASKg/artifacts/${name.replace(/\./g, '\\.')}: `));
    assert.match(line, new RegExp(`: the transfer broke off: .+ \\(after \\d+ of ${size} bytes\\) \\(attempt 3, the last\\)$`));
    assert.equal(server.requests.filter((r) => r.startsWith(`GET /storage/TASKg/artifacts/${name}`)).length, 3);
  }
  assert.deepEqual(readdirSync(run.fetches), [], 'no partial file, no partial tree');
});

test('an archive cut short without a Content-Length fails with the complaint of tar, and leaves nothing', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  writeFileSync(join(source, 'tool', 'big'), Buffer.alloc(3_000_000, 'abcdefgh'));
  const xz = archive(source, 'tool', 'tar.xz');
  const server = await artifactServer(t);
  server.add('TASKh', 'public/tool.tar.xz', { body: xz.subarray(0, xz.length - 100), chunked: true });
  const run = await fetchRun(t, server, [{ artifact: 'public/tool.tar.xz', task: 'TASKh', extract: true }]);
  assert.equal(run.status, 1, run.text);
  const error = run.lines.find((l) => l.startsWith('error: cannot fetch public/tool.tar.xz of task TASKh'))!;
  assert.match(error, /: tar -x -f - -I xz exited with status 2: .*(Unexpected end of input|unexpected EOF|Unexpected EOF)/i);
  assert.equal(server.requests.filter((r) => r.startsWith('GET /storage/')).length, 1, 'a broken archive is not downloaded again');
  assert.deepEqual(readdirSync(run.fetches), []);
});

test('a server that stalls is given up on after the idle timeout, attempts and waits included, in bounded time; a slow one that keeps sending is waited for', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const gz = archive(source, 'tool', 'tar.gz');
  const server = await artifactServer(t);
  server.add('TASKi', 'public/stalls.tar.gz', { body: gz, stallAfter: 10 });
  server.add('TASKi', 'public/silent.tar.gz', { body: gz, silent: true });
  server.add('TASKi', 'public/trickles.tar.gz', { body: gz, trickleBytes: Math.ceil(gz.length / 6), trickleMs: 300 });
  const started = Date.now();
  const run = await fetchRun(
    t,
    server,
    [
      { artifact: 'public/stalls.tar.gz', task: 'TASKi', extract: true, dest: 'stalls' },
      { artifact: 'public/silent.tar.gz', task: 'TASKi', extract: true, dest: 'silent' },
      { artifact: 'public/trickles.tar.gz', task: 'TASKi', extract: true, dest: 'trickles' },
    ],
    { RUN_TASK_FETCH_IDLE_TIMEOUT: '1', RUN_TASK_FETCH_ATTEMPTS: '2', RUN_TASK_FETCH_RETRY_DELAY: '0.2' },
  );
  const seconds = (Date.now() - started) / 1000;
  assert.equal(run.status, 1, run.text);
  assert.ok(seconds < 10, `took ${seconds} s`);
  assert.ok(
    run.lines.some((l) => /^error: cannot fetch public\/stalls\.tar\.gz of task TASKi from .*: no data from the server for 1 s \(after 10 of \d+ bytes\) \(attempt 2, the last\)$/.test(l)),
    run.text,
  );
  assert.ok(run.lines.some((l) => /stalls\.tar\.gz: attempt 1 of 2 failed: no data from the server for 1 s \(after 10 of \d+ bytes\); trying again in 0\.\d\d s$/.test(l)), run.text);
  assert.ok(
    run.lines.some((l) => /^error: cannot fetch public\/silent\.tar\.gz of task TASKi from .*: no data from the server for 1 s \(attempt 2, the last\)$/.test(l)),
    run.text,
  );
  assert.deepEqual(readdirSync(join(run.fetches, 'stalls')), []);
  assert.deepEqual(readdirSync(join(run.fetches, 'silent')), []);
  assert.deepEqual(listing(join(run.fetches, 'trickles', 'tool')), listing(join(source, 'tool')));
});

test('bad MOZ_FETCHES, a missing MOZ_FETCHES_DIR or TASKCLUSTER_ROOT_URL, bad settings: exit status 1 with what is wrong, before any download', async (t) => {
  const server = await artifactServer(t);
  const cases: [unknown, Record<string, string | undefined>, RegExp][] = [
    ['[{"artifact": "public/a.tar.zst", "task": "T", "extract": true', {}, /^error: MOZ_FETCHES is not a valid list of fetches: it is not JSON \(/],
    [{ artifact: 'x' }, {}, /^error: MOZ_FETCHES is not a valid list of fetches: it is an object, not a list of fetches$/],
    [
      [{ artifact: 'public/a.zip', task: 'T' }, { artifact: '', task: 'T', extract: 'yes' }],
      {},
      /^error: MOZ_FETCHES is not a valid list of fetches: fetch 1 of 2: "extract" must be true or false, found nothing$/,
    ],
    [[{ artifact: 'public/a.zip', task: 'T', extract: true }], { MOZ_FETCHES_DIR: undefined }, /^error: MOZ_FETCHES is set but MOZ_FETCHES_DIR is not/],
    [[{ artifact: 'public/a.zip', task: 'T', extract: true }], { TASKCLUSTER_ROOT_URL: undefined }, /^error: cannot fetch public\/a\.zip: TASKCLUSTER_ROOT_URL is not set/],
    [[{ artifact: 'public/a.zip', task: 'T', extract: true }], { RUN_TASK_FETCH_ATTEMPTS: '0' }, /^error: RUN_TASK_FETCH_ATTEMPTS is "0"; expected a whole number from 1 to 100/],
    [[{ artifact: 'public/a.zip', task: 'T', extract: true }], { RUN_TASK_FETCH_IDLE_TIMEOUT: 'soon' }, /^error: RUN_TASK_FETCH_IDLE_TIMEOUT is "soon"/],
  ];
  for (const [fetches, env, expected] of cases) {
    const run = await fetchRun(t, server, fetches, env);
    assert.equal(run.status, 1, run.text);
    assert.match(run.lines[0] ?? '', expected, run.text);
    assert.deepEqual(run.taskLines, []);
    assert.ok(!/\n\s+at /.test(run.text), `no stack trace:\n${run.text}`);
  }
  const twoProblems = await fetchRun(t, server, [{ artifact: 'public/a.zip', task: 'T' }, { artifact: '', task: 'T', extract: 'yes' }]);
  assert.deepEqual(twoProblems.lines.slice(1, 3), [
    'error: fetch 2 of 2: "artifact" must be a non-empty string, found string ""',
    'error: fetch 2 of 2: "extract" must be true or false, found string "yes"',
  ]);
  assert.deepEqual(server.requests, []);
});

test('a program the image lacks (zstd, tar) is named, with what needs it', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const server = await artifactServer(t);
  server.add('TASKj', 'public/tool.tar.zst', { body: archive(source, 'tool', 'tar.zst') });
  server.add('TASKj', 'public/tool.tar', { body: archive(source, 'tool', 'tar') });
  // An image with a shell and tar, and no zstd; then one without tar.
  const bin = tempDir(t, 'fetch-bin');
  for (const program of ['sh', 'tar', 'id']) symlinkSync(execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim(), join(bin, program));
  const noZstd = await fetchRun(t, server, [{ artifact: 'public/tool.tar.zst', task: 'TASKj', extract: true }], { PATH: bin });
  assert.equal(noZstd.status, 1, noZstd.text);
  assert.match(noZstd.text, /error: cannot fetch public\/tool\.tar\.zst of task TASKj from \S+: zstd is not installed \(not found in PATH\); the image needs it to extract this fetch$/m);
  assert.deepEqual(readdirSync(noZstd.fetches), []);

  rmSync(join(bin, 'tar'));
  const noTar = await fetchRun(t, server, [{ artifact: 'public/tool.tar', task: 'TASKj', extract: true }], { PATH: bin });
  assert.equal(noTar.status, 1, noTar.text);
  assert.match(noTar.text, /error: cannot fetch public\/tool\.tar of task TASKj from \S+: tar is not installed \(not found in PATH\); the image needs it to extract fetches$/m);
  assert.deepEqual(readdirSync(noTar.fetches), []);
});

test('an archive with a file where the destination has a directory is an error naming the path; the directory is kept', async (t) => {
  const source = tempDir(t, 'fetch-src');
  mkdirSync(join(source, 'tool'));
  writeFileSync(join(source, 'tool', 'lib'), 'a file\n');
  const server = await artifactServer(t);
  server.add('TASKk', 'public/clash.tar.gz', { body: archive(source, 'tool', 'tar.gz') });
  // What the image (or an earlier fetch) put there.
  const workdir = tempDir(t, 'fetch-work');
  const lib = join(workdir, 'fetches', 'tool', 'lib');
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(lib, 'keep.so'), 'kept\n');
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, join(workdir, 'fetches')]);
  const run = await fetchRun(t, server, [{ artifact: 'public/clash.tar.gz', task: 'TASKk', extract: true }], {}, undefined, workdir);
  assert.equal(run.status, 1, run.text);
  assert.match(
    run.text,
    new RegExp(`error: cannot fetch public/clash\\.tar\\.gz of task TASKk from \\S+: ${lib} is a directory \\(from an earlier fetch, or made by the image\\), and the archive has a file there; give one of the fetches its own "dest"`),
  );
  assert.equal(readFileSync(join(lib, 'keep.so'), 'utf8'), 'kept\n');
  assertNoLeftovers(run.fetches);
});

test('dist/run-task copied alone out of the repository fetches and extracts: the fetch code and execa are inside the one file', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const server = await artifactServer(t);
  server.add('TASKl', 'public/tool.tar.zst', { body: archive(source, 'tool', 'tar.zst') });
  const dir = tempDir(t, 'fetch-alone');
  const copy = join(dir, 'run-task');
  copyFileSync(runTaskBundle, copy);
  const result = await new Promise<{ status: number | null; text: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [copy, '--user', 'root', '--group', 'root', '--', 'ls', 'fetches/tool/bin'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TASKCLUSTER_ROOT_URL: server.url,
        MOZ_FETCHES: JSON.stringify([{ artifact: 'public/tool.tar.zst', task: 'TASKl', extract: true }]),
        MOZ_FETCHES_DIR: 'fetches',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.stderr.on('data', (c) => (text += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, text }));
  });
  assert.equal(result.status, 0, result.text);
  assert.match(result.text, /^\[task [^\]]+\] run$/m);
});

test('a 403 through the proxy names the scope the task needs; a dest that cannot be a directory is named with why', async (t) => {
  const proxy = await artifactServer(t);
  proxy.add('TASKm', 'acme/private.tar.zst', { body: Buffer.from('x'), status: 403 });
  const workdir = tempDir(t, 'fetch-work');
  mkdirSync(join(workdir, 'fetches'));
  writeFileSync(join(workdir, 'fetches', 'tools'), 'a file where a directory must go\n');
  chownSync(join(workdir, 'fetches'), user.uid, user.gid);
  const run = await fetchRun(
    t,
    proxy,
    [
      { artifact: 'acme/private.tar.zst', task: 'TASKm', extract: true },
      { artifact: 'public/cmake.tar.gz', task: 'TASKm', extract: true, dest: 'tools/cmake' },
    ],
    { TASKCLUSTER_PROXY_URL: proxy.url },
    undefined,
    workdir,
  );
  assert.equal(run.status, 1, run.text);
  assert.ok(
    run.lines.includes(
      `error: cannot fetch acme/private.tar.zst of task TASKm from ${proxy.url}/api/queue/v1/task/TASKm/artifacts/acme/private.tar.zst: ` +
        'the server answered HTTP 403 Forbidden (Refused: status 403)',
    ),
    run.text,
  );
  assert.ok(run.lines.includes('error: the task needs the scope queue:get-artifact:acme/private.tar.zst to read this artifact through the Taskcluster proxy'), run.text);
  assert.equal(proxy.requests.filter((r) => r.startsWith('GET /storage/TASKm/artifacts/acme/private.tar.zst')).length, 1, 'not retried');
  assert.ok(
    run.lines.some((l) =>
      l.startsWith(`error: cannot fetch public/cmake.tar.gz of task TASKm from ${proxy.url}/api/queue/v1/task/TASKm/artifacts/public/cmake.tar.gz: cannot create its directory ${join(run.fetches, 'tools', 'cmake')}: ENOTDIR`),
    ),
    run.text,
  );
});

test('an artifact served with Content-Encoding: gzip is decoded first, unless its name ends in .gz', async (t) => {
  const source = sampleTree(tempDir(t, 'fetch-src'));
  const tar = archive(source, 'tool', 'tar');
  const gz = archive(source, 'tool', 'tar.gz');
  const server = await artifactServer(t);
  server.add('TASKn', 'public/tool.tar', { body: tar, gzipEncoded: true });
  server.add('TASKn', 'public/tool.tar.gz', { body: gz, gzipEncoded: true });
  const run = await fetchRun(t, server, [
    { artifact: 'public/tool.tar', task: 'TASKn', extract: true, dest: 'decoded' },
    { artifact: 'public/tool.tar.gz', task: 'TASKn', extract: false, dest: 'kept' },
  ]);
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(listing(join(run.fetches, 'decoded', 'tool')), listing(join(source, 'tool')));
  assert.ok(run.lines.some((l) => l.startsWith(`public/tool.tar: ${tar.length} bytes, sha256 ${sha256(tar)}`)), run.text);
  // Kept as served: the gzip of the .tar.gz.
  assert.deepEqual(readFileSync(join(run.fetches, 'kept', 'tool.tar.gz')), gzipSync(gz));
});
