import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { ContextProblem } from '../../../src/transform/docker/context-members.js';
import { DockerImageCatalog, type ContextResult } from '../../../src/transform/docker/image-catalog.js';

const tmp = mkdtempSync(join(tmpdir(), 'context-digest-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A repository `<tmp>/<name>/` with the taskgraph root `taskcluster/` in it;
 * paths starting with `docker/` go under the root, the others under the
 * repository. Modes are set, so that the umask cannot change a digest.
 */
function repository(name: string, files: Record<string, string>): { repo: string; root: string } {
  const repo = join(tmp, name);
  const root = join(repo, 'taskcluster');
  for (const [path, text] of Object.entries(files)) {
    const file = path.startsWith('docker/') ? join(root, path) : join(repo, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    chmodSync(file, 0o644);
  }
  return { repo, root };
}

function contextOf(root: string, image: string, args: Record<string, string> = {}): ContextResult {
  const catalog = new DockerImageCatalog(root);
  catalog.define(image, image, args);
  return catalog.contextOf(image);
}

function digestOf(root: string, image: string, args: Record<string, string> = {}): string {
  const result = contextOf(root, image, args);
  assert.ok('digest' in result, JSON.stringify(result));
  return result.digest;
}

function problemOf(root: string, image: string, args: Record<string, string> = {}): ContextProblem {
  const result = contextOf(root, image, args);
  assert.ok('problem' in result, `expected a problem, got digest ${JSON.stringify(result)}`);
  return result.problem;
}

test('taskgraph\'s own test contexts give the digests its test suite expects', () => {
  // test_util_docker.py in taskcluster/taskgraph: the same files, the same hashes.
  const plain = repository('tg-plain', { 'docker/my-image/Dockerfile': 'FROM node\nADD a-file\n', 'docker/my-image/a-file': 'data\n' });
  assert.equal(digestOf(plain.root, 'my-image'), 'ab46d51b191eb6c595cccf1fa02485b4e1decc6ba9737a8b8613038d3661be52');

  const basic = repository('tg-basic', { 'docker/test_image/Dockerfile': '', 'docker/test_image/extra': '' });
  assert.equal(digestOf(basic.root, 'test_image'), '3134fa88c39a604132b260c2c3cf09f6fe4a8234475a4272fd9438aac47caaae');

  const topsrcdir = repository('tg-topsrcdir', { 'docker/test-image/Dockerfile': '# %include extra/file0\n', 'extra/file0': '' });
  assert.equal(digestOf(topsrcdir.root, 'test-image'), '56657d2f428fe268cc3b0966649a3bf8477dcd2eade7a1d4accc5c312f075a2f');

  const tree = { 'extra/file0': 'file0', 'extra/file1': 'file1', 'extra/file2': 'file2', file0: '' };
  const directory = repository('tg-directory', { 'docker/test-image/Dockerfile': '# %include extra\n# %include file0\n', ...tree });
  assert.equal(digestOf(directory.root, 'test-image'), 'ba7b62e8f25977e8e6629aee1d121ae92b6007258c90a53fb94c8607e1e96e10');

  // The %ARG line is dropped from the archived Dockerfile: the same digest as without it.
  const withArg = repository('tg-arg', { 'docker/test-image/Dockerfile': '# %ARG PYTHON_VERSION\n# %include extra\n# %include file0\n', ...tree });
  assert.equal(digestOf(withArg.root, 'test-image', { PYTHON_VERSION: '3.8' }), 'ba7b62e8f25977e8e6629aee1d121ae92b6007258c90a53fb94c8607e1e96e10');
});

test('a tree that uses every rule at once gives the digest of taskgraph\'s code', () => {
  // CRLF lines, a substituted %ARG, directory and file includes written with
  // ./ and ../, modes, a long and a non-ASCII name, a link to a file and one to
  // a directory. The digest is what taskgraph's stream_context_tar (run under
  // CPython 3.11) returns for this very tree.
  const { repo, root } = repository('everything', {
    'docker/img/Dockerfile':
      'FROM debian:$V\r\n# %ARG V\r\nFROM debian:$V\n# %include scripts\n# %include  lib/tool.py \n' +
      '# %include ./other/x.txt\n# %include scripts/nested/../run.sh\nRUN echo $V $VX\n',
    'docker/img/sub/deeper/a.txt': 'a',
    'docker/img/entry.sh': '#!/bin/sh\n',
    'scripts/run.sh': 'r',
    'scripts/nested/n.txt': 'n',
    'scripts/nested/ünï.txt': 'é',
    [`scripts/nested/${'long'.repeat(30)}`]: 'L',
    'lib/tool.py': 'tool',
    'other/x.txt': 'x',
  });
  chmodSync(join(root, 'docker/img/entry.sh'), 0o755);
  chmodSync(join(repo, 'scripts/run.sh'), 0o750);
  chmodSync(join(repo, 'lib/tool.py'), 0o600);
  symlinkSync('../../../lib/tool.py', join(root, 'docker/img/linked.py'));
  symlinkSync('../../../scripts', join(root, 'docker/img/linkdir'));
  assert.equal(digestOf(root, 'img', { V: '12' }), '14085ac9679ffcf5c80901b4bfa3130f8bbaae817dce4b4452c2695c58250bc8');
});

test('an included file counts; a file of the repository that is not included does not', () => {
  const { repo, root } = repository('include', {
    'docker/img/Dockerfile': 'FROM debian\n# %include scripts/setup.sh\n# %include tools\n',
    'scripts/setup.sh': 'echo one\n',
    'scripts/other.sh': 'echo other\n',
    'tools/a/b.txt': 'b\n',
    'README': 'readme\n',
  });
  const first = digestOf(root, 'img');

  writeFileSync(join(repo, 'scripts/other.sh'), 'echo changed\n');
  writeFileSync(join(repo, 'README'), 'changed\n');
  mkdirSync(join(root, 'docker/unrelated'));
  writeFileSync(join(root, 'docker/unrelated/Dockerfile'), 'FROM x\n');
  assert.equal(digestOf(root, 'img'), first, 'files outside the context and its includes do not count');

  writeFileSync(join(repo, 'scripts/setup.sh'), 'echo two\n');
  const second = digestOf(root, 'img');
  assert.notEqual(second, first, 'an included file counts');

  writeFileSync(join(repo, 'tools/a/new.txt'), 'new\n');
  chmodSync(join(repo, 'tools/a/new.txt'), 0o644);
  const third = digestOf(root, 'img');
  assert.notEqual(third, second, 'a new file in an included directory counts');

  chmodSync(join(repo, 'tools/a/new.txt'), 0o755);
  assert.notEqual(digestOf(root, 'img'), third, 'the mode of an included file counts');
});

test('the digest does not depend on where the tree is, nor on the order files were made', () => {
  const files: Record<string, string> = {
    'docker/img/Dockerfile': '# %include lib\n',
    'docker/img/z.sh': 'z\n',
    'docker/img/a/y.sh': 'y\n',
    'lib/m.py': 'm\n',
    'lib/b/c.py': 'c\n',
  };
  const forwards = repository('order-1', files);
  const backwards = repository('order-2', Object.fromEntries(Object.entries(files).reverse()));
  assert.equal(digestOf(backwards.root, 'img'), digestOf(forwards.root, 'img'));
  cpSync(forwards.repo, join(tmp, 'moved', 'deeper'), { recursive: true });
  assert.equal(digestOf(join(tmp, 'moved', 'deeper', 'taskcluster'), 'img'), digestOf(forwards.root, 'img'));
});

test('%ARG values change the digest only through the lines that use them', () => {
  const { root } = repository('args', { 'docker/img/Dockerfile': '# %ARG V\nFROM debian:$V\n' });
  const twelve = digestOf(root, 'img', { V: '12' });
  assert.equal(digestOf(root, 'img', { V: '12', OTHER: 'x' }), twelve);
  assert.notEqual(digestOf(root, 'img', { V: '13' }), twelve);
});

test('links: a link to a file counts as the file, a link to a directory is left out, as os.walk does', () => {
  const { repo, root } = repository('links', {
    'docker/img/Dockerfile': 'FROM debian\n',
    'docker/img/setup.sh': 'echo hi\n',
    'shared/setup.sh': 'echo hi\n',
    'shared/dir/x': 'x\n',
  });
  const plain = digestOf(root, 'img');
  rmSync(join(root, 'docker/img/setup.sh'));
  symlinkSync(join(repo, 'shared/setup.sh'), join(root, 'docker/img/setup.sh'));
  assert.equal(digestOf(root, 'img'), plain);
  symlinkSync('../../../shared/dir', join(root, 'docker/img/dir'));
  assert.equal(digestOf(root, 'img'), plain);
});

test('include mistakes are located at the path in the Dockerfile, with what was expected', () => {
  const { repo, root } = repository('bad-includes', {
    'docker/missing/Dockerfile': 'FROM debian\n\n# %include  does/not/exist\n',
    'docker/absolute/Dockerfile': '# %include /etc/passwd\n',
    'docker/outside/Dockerfile': '# %include foo/../../etc/passwd\n',
    'docker/args/Dockerfile': 'FROM debian\n# %ARG PYTHON\n',
    'docker/filedir/Dockerfile': '# %include file/\n',
    file: '',
  });
  const dockerfile = (image: string) => join(root, 'docker', image, 'Dockerfile');

  const missing = problemOf(root, 'missing');
  assert.deepEqual(missing.at, { file: dockerfile('missing'), line: 3, column: 13 });
  assert.match(missing.message, /# %include does\/not\/exist: .*does\/not\/exist does not exist/);
  assert.match(missing.expected!, new RegExp(`relative to the repository root ${repo}`));

  assert.match(problemOf(root, 'absolute').message, /absolute/);
  assert.equal(problemOf(root, 'absolute').at?.line, 1);
  assert.match(problemOf(root, 'outside').message, /outside the repository/);
  const args = problemOf(root, 'args');
  assert.deepEqual(args.at, { file: dockerfile('args'), line: 2, column: 8 });
  assert.match(args.message, /no argument PYTHON/);
  assert.match(problemOf(root, 'filedir').message, /is a file, not a directory/);
});

test('files that would make the digest depend on the machine, or that taskgraph refuses, are errors', () => {
  const { root } = repository('refused', {
    'docker/escape/Dockerfile': 'FROM debian\n',
    'docker/via-include/Dockerfile': '# %include vendor\n',
    'docker/setuid/Dockerfile': 'FROM debian\n',
    'docker/setuid/tool': '',
    'docker/dangling/Dockerfile': 'FROM debian\n',
  });
  symlinkSync('/etc/hostname', join(root, 'docker/escape/hostname'));
  const escape = problemOf(root, 'escape');
  assert.match(escape.message, /hostname leads to .*, outside the repository/);
  assert.equal(escape.at, undefined);

  symlinkSync(tmpdir(), join(dirname(root), 'vendor'));
  const viaInclude = problemOf(root, 'via-include');
  assert.match(viaInclude.message, /outside the repository/);
  assert.equal(viaInclude.at?.line, 1);

  chmodSync(join(root, 'docker/setuid/tool'), 0o4755);
  assert.match(problemOf(root, 'setuid').message, /setuid or setgid/);

  symlinkSync('nowhere', join(root, 'docker/dangling/gone'));
  assert.match(problemOf(root, 'dangling').message, /gone is a symbolic link to nothing/);
});

test('the catalog collects each context once per run, and volumes come from the Dockerfile it hashed', () => {
  const { root } = repository('catalog', { 'docker/base/Dockerfile': 'FROM debian\nVOLUME /a\n' });
  const catalog = new DockerImageCatalog(root);
  catalog.define('base', 'base');
  const first = catalog.contextOf('base');
  assert.ok('digest' in first);
  writeFileSync(join(root, 'docker/base/Dockerfile'), 'FROM debian\nVOLUME /b\n');
  // Changes after the first look are not seen: the run works on one snapshot.
  assert.equal(catalog.contextOf('base'), first);
  assert.deepEqual(catalog.volumesOf('base'), { volumes: ['/a'], dockerfile: join(root, 'docker/base/Dockerfile') });
  const fresh = new DockerImageCatalog(root).contextOf('base');
  assert.ok('digest' in fresh);
  assert.notEqual(fresh.digest, first.digest);
});

test('two images of one definition differ by their %ARG values; volumes are looked up in the definition', () => {
  const { root } = repository('shared-definition', { 'docker/shared/Dockerfile': '# %ARG V\nFROM debian:$V\nVOLUME /v\n' });
  const catalog = new DockerImageCatalog(root);
  catalog.define('old', 'shared', { V: '11' });
  catalog.define('new', 'shared', { V: '12' });
  const [old, now] = [catalog.contextOf('old'), catalog.contextOf('new')];
  assert.ok('digest' in old && 'digest' in now);
  assert.notEqual(old.digest, now.digest);
  assert.deepEqual((catalog.volumesOf('new') as { volumes: string[] }).volumes, ['/v']);
  assert.deepEqual(catalog.definedImages().map((i) => i.image), ['old', 'new']);
  const missing = catalog.volumesOf('nope');
  assert.ok('error' in missing);
  assert.match(missing.error, /in-tree image "nope" has no Dockerfile: .*docker\/nope\/Dockerfile does not exist/);
});
