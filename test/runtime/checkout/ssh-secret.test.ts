// Checkouts with an SSH key from a Taskcluster secret (<PREFIX>_SSH_SECRET_NAME).
// A real HTTP server stands in for the Taskcluster proxy, and a script named
// `ssh` first in PATH stands in for OpenSSH, as in git's own test suite: it
// checks the key file and options run-task gave it, then runs the git command
// it was asked to run on the "remote" here, so git really clones and fetches
// over "ssh". The built dist/run-task, as root, switching to a real user.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ownLines, runTask, tempDir } from '../helpers.js';
import { checkoutSuite, chownTree } from './repositories.js';

const { user, as, repositories: { source } } = checkoutSuite('rtch', 'checkout-ssh-sources', ['source']);
const SECRET = 'project/gadget/deploy-key';
/** As secrets are often stored: no newline at the end, which OpenSSH needs. */
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key-for-run-task\n-----END OPENSSH PRIVATE KEY-----';
/** A part of the key that must never appear in the log. */
const KEY_BODY = 'test-key-for-run-task';

interface Answer {
  status: number;
  body: string;
}

interface Proxy {
  url: string;
  requests: string[];
}

/** The Taskcluster proxy: answers GET /secrets/v1/secret/<name> from `answers`, 404 otherwise. */
async function secretsProxy(t: { after: (fn: () => Promise<void>) => void }, answers: Record<string, Answer>): Promise<Proxy> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const answer = answers[request.url ?? ''] ?? { status: 404, body: JSON.stringify({ code: 'ResourceNotFound', message: 'no such resource' }) };
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const secretAnswer = (secret: Record<string, unknown>): Answer => ({
  status: 200,
  body: JSON.stringify({ secret, expires: '3000-01-01T00:00:00.000Z' }),
});

interface FakeSsh {
  /** Goes first in PATH. */
  bin: string;
  /** The key files it was given, one a line. */
  keysUsed: () => string[];
}

/**
 * `ssh` as git runs it (`ssh [options] host command`): refuses, as a server
 * would, unless given -i with a 0600 file of the task user's in a 0700
 * directory holding exactly the secret's key (plus the newline OpenSSH
 * needs), IdentitiesOnly, strict host key checking and a known-hosts file
 * with GitHub's keys; then runs the command locally. With FAKE_SSH_HOLD set in
 * the environment it waits instead, until the file `release` appears.
 */
function fakeSsh(t: { after: (fn: () => void) => void }): FakeSsh {
  const bin = tempDir(t, 'fake-ssh');
  writeFileSync(join(bin, 'expected-key'), `${KEY}\n`);
  writeFileSync(join(bin, 'keys-used'), '');
  writeFileSync(
    join(bin, 'ssh'),
    [
      '#!/bin/sh',
      'for arg; do',
      '  case "$prev" in',
      '    -i) key=$arg ;;',
      '    -o) case "$arg" in',
      '          IdentitiesOnly=yes) only=yes ;;',
      '          StrictHostKeyChecking=yes) strict=yes ;;',
      '          UserKnownHostsFile=*) known=${arg#UserKnownHostsFile=} ;;',
      '        esac ;;',
      '  esac',
      '  prev=$arg',
      'done',
      'refuse() { echo "fake ssh: $1" >&2; echo "git@git.example.com: Permission denied (publickey)." >&2; exit 255; }',
      '[ -n "$key" ] || refuse "no -i key file"',
      `echo "$key" >> ${bin}/keys-used`,
      `if [ -n "$FAKE_SSH_HOLD" ]; then while [ ! -e ${bin}/release ]; do sleep 0.05; done; exit 255; fi`,
      '[ "$only" = yes ] || refuse "no -o IdentitiesOnly=yes"',
      '[ "$strict" = yes ] || refuse "no -o StrictHostKeyChecking=yes"',
      'grep -q "^github.com ssh-ed25519 " "$known" 2>/dev/null || refuse "no GitHub host key in UserKnownHostsFile=$known"',
      `cmp -s "$key" ${bin}/expected-key || refuse "the key file does not hold the secret's key"`,
      `[ "$(stat -c %a:%u "$key")" = "600:${user.uid}" ] || refuse "key file mode:owner is $(stat -c %a:%u "$key")"`,
      '[ "$(stat -c %a "$(dirname "$key")")" = 700 ] || refuse "key directory mode is $(stat -c %a "$(dirname "$key")")"',
      // The last argument is the command for the remote side: git-upload-pack '<path>'.
      'exec sh -c "$arg"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  chownTree(bin, user.uid, user.gid);
  return {
    bin,
    keysUsed: () => readFileSync(join(bin, 'keys-used'), 'utf8').split('\n').filter((l) => l !== ''),
  };
}

/** Waits until no process of `uid` is running (zombies, which no one may reap here, do not count). */
async function processesEnded(uid: number): Promise<void> {
  const running = () =>
    readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status) && !/^State:\s+Z/m.test(status);
      } catch {
        return false;
      }
    });
  for (let waited = 0; running().length > 0; waited += 50) {
    assert.ok(waited < 10_000, `processes of uid ${uid} still running: ${running().join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function emptyCache(t: { after: (fn: () => void) => void }, label: string): string {
  const cache = join(tempDir(t, label), 'cache');
  mkdirSync(cache);
  return cache;
}

/** A temporary directory of the task user's own, so that leftovers can be seen. */
function privateTmp(t: { after: (fn: () => void) => void }): string {
  const dir = tempDir(t, 'tmpdir');
  chownTree(dir, user.uid, user.gid);
  return dir;
}

const sshUrl = () => `ssh://git.example.com${source.path}`;

function sshEnv(cache: string, proxy: Proxy, ssh: FakeSsh, tmp: string, rev: string): Record<string, string | undefined> {
  return {
    TASKCLUSTER_CACHES: cache,
    // A trailing slash, as some set it.
    TASKCLUSTER_PROXY_URL: `${proxy.url}/`,
    PATH: `${ssh.bin}:${process.env.PATH}`,
    TMPDIR: tmp,
    VCS_BASE_REPOSITORY: sshUrl(),
    VCS_HEAD_REPOSITORY: sshUrl(),
    VCS_HEAD_REV: rev,
    VCS_SSH_SECRET_NAME: SECRET,
  };
}

function assertKeysRemoved(ssh: FakeSsh, tmp: string): void {
  const used = ssh.keysUsed();
  assert.ok(used.length > 0, 'ssh was run with a key');
  for (const key of used) {
    assert.ok(!existsSync(key), `${key} is removed`);
    assert.ok(!existsSync(dirname(key)), `${dirname(key)} is removed`);
  }
  assert.deepEqual(readdirSync(tmp), [], 'nothing is left in the temporary directory');
}

test('a checkout with an SSH secret clones and fetches over ssh with the secret\'s key, which is gone before the command runs', async (t) => {
  const proxy = await secretsProxy(t, { [`/secrets/v1/secret/${SECRET}`]: secretAnswer({ ssh_privkey: KEY }) });
  const ssh = fakeSsh(t);
  const tmp = privateTmp(t);
  const cache = emptyCache(t, 'ssh');
  const checkout = join(cache, 'src');
  const run = await runTask([...as(), '--vcs-checkout', checkout, '--task-cwd', checkout, '--', 'sh', '-c', 'cat f; echo "${GIT_SSH_COMMAND-unset}"'], {
    env: sshEnv(cache, proxy, ssh, tmp, source.revisions[1]),
  });
  assert.equal(run.status, 0, run.text);
  assert.deepEqual(run.taskLines, ['two source', 'unset']);
  assert.deepEqual(proxy.requests, [`GET /secrets/v1/secret/${SECRET}`]);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.includes(`fetching the secret ${SECRET} (VCS_SSH_SECRET_NAME) from ${proxy.url}/secrets/v1/secret/${SECRET}`), run.text);
  assert.ok(vcs.includes(`ssh uses the key of the secret ${SECRET} for ${checkout}; it is removed after the checkout`), run.text);
  assert.ok(vcs.includes(`cloning ${sshUrl()} into ${checkout}`), run.text);
  assert.ok(vcs.some((l) => l.startsWith(`${checkout} is at ${source.revisions[1]} (new clone: `)), run.text);
  assert.ok(!run.text.includes(KEY_BODY), 'the key is never printed');
  assertKeysRemoved(ssh, tmp);
});

test('the key is removed when the checkout fails after it was written', async (t) => {
  const proxy = await secretsProxy(t, { [`/secrets/v1/secret/${SECRET}`]: secretAnswer({ ssh_privkey: KEY }) });
  const ssh = fakeSsh(t);
  const tmp = privateTmp(t);
  const cache = emptyCache(t, 'ssh-fail');
  const missing = 'deadbeef'.repeat(5);
  const run = await runTask([...as(), '--vcs-checkout', join(cache, 'src'), '--', 'sh', '-c', 'echo must-not-run'], {
    env: sshEnv(cache, proxy, ssh, tmp, missing),
  });
  assert.equal(run.status, 1, run.text);
  assert.deepEqual(run.taskLines, []);
  assert.ok(ownLines(run.text, 'vcs').some((l) => l.startsWith(`error: cannot fetch the revision ${missing} from ${sshUrl()}`)), run.text);
  assertKeysRemoved(ssh, tmp);
});

test('the key is removed when run-task is stopped during the clone', async (t) => {
  const proxy = await secretsProxy(t, { [`/secrets/v1/secret/${SECRET}`]: secretAnswer({ ssh_privkey: KEY }) });
  const ssh = fakeSsh(t);
  const tmp = privateTmp(t);
  const cache = emptyCache(t, 'ssh-signal');
  const run = await runTask([...as(), '--vcs-checkout', join(cache, 'src'), '--', 'sh', '-c', 'echo must-not-run'], {
    env: { ...sshEnv(cache, proxy, ssh, tmp, source.revisions[0]), FAKE_SSH_HOLD: '1' },
    onSpawn: (child) => {
      // Once ssh holds the key, as a worker cancelling the task would.
      const poll = setInterval(() => {
        if (ssh.keysUsed().length > 0) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 20);
      // Should run-task end on its own (a failure), the test must not wait forever.
      child.on('exit', () => clearInterval(poll));
    },
  });
  // git and ssh outlive run-task (in a container they go with it): let them end before the user is removed.
  writeFileSync(join(ssh.bin, 'release'), '');
  await processesEnded(user.uid);
  assert.equal(run.signal, 'SIGTERM', run.text);
  assert.deepEqual(run.taskLines, []);
  assertKeysRemoved(ssh, tmp);
});

test('a key that the server refuses fails at once, naming the secret to check', async (t) => {
  const proxy = await secretsProxy(t, {
    [`/secrets/v1/secret/${SECRET}`]: secretAnswer({ ssh_privkey: KEY.replace(KEY_BODY, 'another-key') }),
  });
  const ssh = fakeSsh(t);
  const tmp = privateTmp(t);
  const cache = emptyCache(t, 'ssh-refused');
  const started = Date.now();
  const run = await runTask([...as(), '--vcs-checkout', join(cache, 'src'), '--', 'sh', '-c', 'echo must-not-run'], {
    env: sshEnv(cache, proxy, ssh, tmp, source.revisions[0]),
  });
  assert.equal(run.status, 1, run.text);
  assert.ok(!run.text.includes('retrying'), run.text);
  assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  assert.ok(
    ownLines(run.text, 'vcs').includes(
      `access was refused: check that the SSH key of the secret ${SECRET} (VCS_SSH_SECRET_NAME) may read ${sshUrl()}, ` +
        'and that the server\'s host key is GitHub\'s or listed in the image\'s /etc/ssh/ssh_known_hosts',
    ),
    run.text,
  );
  assertKeysRemoved(ssh, tmp);
});

test('without a secret, a repository that refuses access fails at once, saying that it needs one', async (t) => {
  const ssh = fakeSsh(t);
  const cache = emptyCache(t, 'ssh-nosecret');
  const run = await runTask([...as(), '--vcs-checkout', join(cache, 'src'), '--', 'sh', '-c', 'echo must-not-run'], {
    env: {
      TASKCLUSTER_CACHES: cache,
      PATH: `${ssh.bin}:${process.env.PATH}`,
      VCS_BASE_REPOSITORY: sshUrl(),
      VCS_HEAD_REPOSITORY: sshUrl(),
      VCS_HEAD_REV: source.revisions[0],
    },
  });
  assert.equal(run.status, 1, run.text);
  assert.ok(!run.text.includes('retrying'), run.text);
  const vcs = ownLines(run.text, 'vcs');
  assert.ok(vcs.includes(`error: checkout of repository into ${join(cache, 'src')} failed: git clone of ${sshUrl()} failed`), run.text);
  assert.ok(
    vcs.includes('access was refused: a private repository needs an SSH key, from the secret named by ssh-secret-name in config.yml (VCS_SSH_SECRET_NAME)'),
    run.text,
  );
});

test('a secret that cannot be had is a clear error naming the secret and what to check, and never prints the key', async (t) => {
  const closed = await secretsProxy(t, {});
  // Nothing listens there any more.
  await new Promise<void>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      closed.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      server.close(() => resolve());
    });
  });
  const path = `/secrets/v1/secret/${SECRET}`;
  const cases: { label: string; answer?: Answer; lines: string[] }[] = [
    {
      label: 'the proxy cannot be reached',
      lines: [
        'the Taskcluster proxy cannot be reached (connect ECONNREFUSED 127.0.0.1:',
        'check that the task runs with the proxy (docker-worker: the payload feature taskclusterProxy',
      ],
    },
    {
      label: 'the task lacks the scope',
      answer: {
        status: 403,
        body: JSON.stringify({ code: 'InsufficientScopes', message: 'Client ID task-client does not have sufficient scopes.\n\nYou have:\n...' }),
      },
      lines: [
        'the proxy answered HTTP 403 Forbidden (InsufficientScopes: Client ID task-client does not have sufficient scopes.)',
        `the task needs the scope secrets:get:${SECRET}; the run transform adds it for ssh-secret-name in config.yml`,
      ],
    },
    {
      label: 'no such secret',
      answer: { status: 404, body: JSON.stringify({ code: 'ResourceNotFound', message: 'Secret not found' }) },
      lines: [
        'the proxy answered HTTP 404 Not Found (ResourceNotFound: Secret not found)',
        `no secret ${SECRET} exists, or it has expired: check ssh-secret-name in config.yml and the secret in the Taskcluster secrets service`,
      ],
    },
    {
      label: 'the service fails',
      answer: { status: 502, body: 'upstream error' },
      lines: ['the proxy answered HTTP 502 Bad Gateway', 'the secrets service or the proxy failed; the task can be rerun'],
    },
    {
      label: 'the secret has no ssh_privkey',
      answer: secretAnswer({ private_key: KEY, owner: 'release team' }),
      lines: [
        'the secret has no ssh_privkey',
        `it has the fields "private_key", "owner"; store the private key (OpenSSH format, no passphrase) as the string ssh_privkey of the secret ${SECRET}`,
      ],
    },
    {
      label: 'ssh_privkey is empty',
      answer: secretAnswer({ ssh_privkey: '' }),
      lines: ['the secret\'s ssh_privkey is not a non-empty string'],
    },
    {
      label: 'the answer is not JSON',
      answer: { status: 200, body: KEY },
      lines: ['the answer (HTTP 200, ', 'check that TASKCLUSTER_PROXY_URL (default http://taskcluster) names the Taskcluster proxy'],
    },
    {
      label: 'the answer is not a secret',
      answer: { status: 200, body: JSON.stringify({ ssh_privkey: KEY }) },
      lines: ['the answer has no "secret" object, so it is not a secret of the Taskcluster secrets service'],
    },
  ];
  for (const c of cases) {
    const proxy = c.answer === undefined ? closed : await secretsProxy(t, { [path]: c.answer });
    const ssh = fakeSsh(t);
    const tmp = privateTmp(t);
    const cache = emptyCache(t, 'ssh-errors');
    const run = await runTask([...as(), '--vcs-checkout', join(cache, 'src'), '--', 'sh', '-c', 'echo must-not-run'], {
      env: sshEnv(cache, proxy, ssh, tmp, source.revisions[0]),
    });
    const context = `${c.label}\n${run.text}`;
    assert.equal(run.status, 1, context);
    assert.deepEqual(run.taskLines, [], context);
    const vcs = ownLines(run.text, 'vcs');
    const error = vcs.findIndex((l) => l.startsWith(`error: cannot get the SSH key of the secret ${SECRET} (VCS_SSH_SECRET_NAME) from ${proxy.url}${path}: `));
    assert.ok(error !== -1, context);
    c.lines.forEach((expected, i) => {
      const line = i === 0 ? vcs[error].slice(vcs[error].indexOf(`${path}: `) + path.length + 2) : vcs[error + i];
      assert.ok(line?.startsWith(expected), `line ${i}: expected "${expected}", got "${line}"\n${context}`);
    });
    assert.ok(!run.text.includes(KEY_BODY), `the key is never printed\n${context}`);
    assert.ok(!vcs.some((l) => l.startsWith('cloning')), context);
    assert.deepEqual(ssh.keysUsed(), [], context);
    assert.deepEqual(readdirSync(tmp), [], context);
  }
});
