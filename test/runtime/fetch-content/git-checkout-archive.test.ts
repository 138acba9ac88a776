// fetch-content git-checkout-archive end to end: real git repositories in
// temporary directories (one a submodule of the other), cloned by the built
// dist/fetch-content with the real git; the real tar lists the archive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../helpers.js';
import { fetchContent, fileServer, namesIn, tarEntries, tarMember } from './helpers.js';

const IDENTITY = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
/** Submodules from local paths: git refuses the file protocol for them unless configured, as a user would. */
const ALLOW_FILE = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'protocol.file.allow', GIT_CONFIG_VALUE_0: 'always' };

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY, ...ALLOW_FILE }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();

interface Repos {
  main: string;
  /** The commit with a.txt "first" and the submodule; HEAD has a.txt "second". */
  first: string;
}

function repositories(t: TestContext): Repos {
  const root = tempDir(t, 'fc-git');
  const sub = join(root, 'sub-repo');
  mkdirSync(sub);
  git(sub, 'init', '-q', '-b', 'main');
  writeFileSync(join(sub, 'sub.txt'), 'in the submodule\n');
  git(sub, 'add', '.');
  git(sub, 'commit', '-q', '-m', 'sub');
  const main = join(root, 'main-repo');
  mkdirSync(main);
  git(main, 'init', '-q', '-b', 'main');
  writeFileSync(join(main, 'a.txt'), 'first\n');
  writeFileSync(join(main, 'tool.sh'), '#!/bin/sh\n');
  chmodSync(join(main, 'tool.sh'), 0o755);
  git(main, 'add', '.');
  git(main, 'submodule', '-q', 'add', `file://${sub}`, 'sub');
  git(main, 'commit', '-q', '-m', 'first');
  const first = git(main, 'rev-parse', 'HEAD');
  writeFileSync(join(main, 'a.txt'), 'second\n');
  git(main, 'commit', '-q', '-am', 'second');
  return { main, first };
}

test('an archive of one commit (not the tip) with its submodule, under --path-prefix, without .git', async (t) => {
  const { main, first } = repositories(t);
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'deep', 'src.tar.zst');
  const scratch = tempDir(t, 'fc-tmp');
  const result = await fetchContent(['git-checkout-archive', '--path-prefix', 'src', main, first, dest], { ...ALLOW_FILE, TMPDIR: scratch });
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const entries = tarEntries(dest);
  assert.deepEqual(entries.filter((e) => !e.startsWith('d')).map((e) => e.replace(/ \d+\/\d+ /, ' ')).sort(), [
    '-rw-r--r-- src/.gitmodules',
    '-rw-r--r-- src/a.txt',
    '-rw-r--r-- src/sub/sub.txt',
    '-rwxr-xr-x src/tool.sh',
  ]);
  assert.ok(!entries.some((e) => e.includes('.git/') || e.endsWith('/.git')), entries.join('\n'));
  assert.equal(tarMember(dest, 'src/a.txt'), 'first\n', 'the commit asked for, not the tip');
  assert.equal(tarMember(dest, 'src/sub/sub.txt'), 'in the submodule\n');
  assert.deepEqual(namesIn(join(out, 'deep')), ['src.tar.zst']);
  assert.deepEqual(namesIn(scratch), [], 'the clone is removed');
});

test('--include-dot-git keeps a .git of depth 1 at the commit, its origin the repository; the prefix defaults to the repository name', async (t) => {
  const { main, first } = repositories(t);
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'src.tar.zst');
  const result = await fetchContent(['git-checkout-archive', '--include-dot-git', main, first, dest], ALLOW_FILE);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const unpacked = tempDir(t, 'fc-unpacked');
  execFileSync('tar', ['-I', 'zstd', '-xf', dest, '-C', unpacked]);
  const checkout = join(unpacked, 'main-repo');
  assert.equal(git(checkout, 'rev-parse', 'HEAD'), first);
  assert.equal(git(checkout, 'rev-list', '--count', 'HEAD'), '1', 'depth 1');
  assert.equal(git(checkout, 'remote', 'get-url', 'origin'), main);
  assert.equal(git(checkout, 'status', '--porcelain'), '', 'a clean checkout');
  assert.equal(readFileSync(join(checkout, 'sub', 'sub.txt'), 'utf8'), 'in the submodule\n');
});

test('--ssh-key-secret: the key from the secrets service goes to ssh through GIT_SSH_COMMAND, and its file is gone after', async (t) => {
  const { main, first } = repositories(t);
  const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n';
  const server = await fileServer(t);
  server.serve('/api/secrets/v1/secret/project/deploy-key', { body: JSON.stringify({ secret: { ssh_privkey: key }, expires: '2030-01-01T00:00:00Z' }) });
  // An ssh that records how it was called and what the key file held, then runs the remote command here.
  const bin = tempDir(t, 'fc-bin');
  const log = join(bin, 'ssh.log');
  writeFileSync(
    join(bin, 'ssh'),
    `#!/bin/sh
printf '%s\\n' "$@" > ${log}
while [ $# -gt 1 ]; do
  if [ "$1" = -i ]; then cp "$2" ${log}.key; ls -l "$2" | cut -c1-10 > ${log}.mode; fi
  shift
done
exec sh -c "$1"
`,
  );
  chmodSync(join(bin, 'ssh'), 0o755);
  const out = tempDir(t, 'fc-out');
  const dest = join(out, 'src.tar.zst');
  // A space in TMPDIR: the key's path goes through the shell that runs GIT_SSH_COMMAND.
  const scratch = tempDir(t, 'fc tmp');
  const result = await fetchContent(['git-checkout-archive', '--ssh-key-secret', 'project/deploy-key', `git.example.com:${main}`, first, dest], {
    ...ALLOW_FILE,
    TMPDIR: scratch,
    PATH: `${bin}:${process.env.PATH}`,
    TASKCLUSTER_PROXY_URL: server.url,
  });
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const args = readFileSync(log, 'utf8').split('\n');
  assert.deepEqual(args.slice(0, 2), ['-o', 'StrictHostKeyChecking no']);
  const keyFile = args[args.indexOf('-i') + 1]!;
  assert.ok(args.includes('git.example.com'), args.join(' '));
  assert.equal(readFileSync(`${log}.key`, 'utf8'), key, 'ssh was given the secret\'s key');
  assert.equal(readFileSync(`${log}.mode`, 'utf8').trim(), '-rw-------');
  assert.ok(keyFile.startsWith(`${scratch}/`), keyFile);
  assert.equal(existsSync(keyFile), false, `${keyFile} removed after the clone`);
  assert.deepEqual(namesIn(scratch), []);
  assert.deepEqual(server.requests.map((r) => r.path), ['/api/secrets/v1/secret/project/deploy-key']);
  assert.equal(tarMember(dest, 'main-repo/a.txt'), 'first\n');
});

test('failures leave no DEST: a commit that does not exist, a DEST not .tar.zst, a secret without a proxy', async (t) => {
  const { main } = repositories(t);
  const out = tempDir(t, 'fc-out');
  const missing = await fetchContent(['git-checkout-archive', main, 'f'.repeat(40), join(out, 'src.tar.zst')], ALLOW_FILE);
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /^error: git checkout --detach f{40} exited with status \d+: .+$/m);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const zip = await fetchContent(['git-checkout-archive', main, 'main', join(out, 'src.zip')], ALLOW_FILE);
  assert.equal(zip.status, 1, zip.stderr);
  assert.match(zip.stderr, /^error: DEST .*src\.zip: only \.tar\.zst archives are produced/m);
  const secret = await fetchContent(['git-checkout-archive', '--ssh-key-secret', 'k', main, 'main', join(out, 'src.tar.zst')], ALLOW_FILE);
  assert.equal(secret.status, 1, secret.stderr);
  assert.match(secret.stderr, /^error: --ssh-key-secret k: TASKCLUSTER_PROXY_URL is not set/m);
  assert.deepEqual(namesIn(out), []);
});
