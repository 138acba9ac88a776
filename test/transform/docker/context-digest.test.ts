import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contextDigest } from '../../../src/transform/docker/context-digest.js';
import { DockerImageCatalog } from '../../../src/transform/docker/image-catalog.js';

const tmp = mkdtempSync(join(tmpdir(), 'context-digest-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function makeContext(dir: string): void {
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\nVOLUME /a\n');
  writeFileSync(join(dir, 'scripts', 'setup.sh'), 'echo hi\n');
}

test('the digest depends on contents and names, not on where the directory is', () => {
  const a = join(tmp, 'a');
  makeContext(a);
  const first = contextDigest(a);
  assert.match(first, /^[0-9a-f]{64}$/);
  const b = join(tmp, 'elsewhere', 'b');
  mkdirSync(join(tmp, 'elsewhere'));
  cpSync(a, b, { recursive: true });
  assert.equal(contextDigest(b), first);

  writeFileSync(join(b, 'scripts', 'setup.sh'), 'echo bye\n');
  const changed = contextDigest(b);
  assert.notEqual(changed, first);

  renameSync(join(b, 'scripts', 'setup.sh'), join(b, 'scripts', 'other.sh'));
  assert.notEqual(contextDigest(b), changed);
});

test('a symbolic link counts by its target, never by what it points at', () => {
  const dir = join(tmp, 'links');
  makeContext(dir);
  symlinkSync('/etc/hostname', join(dir, 'link'));
  const withLink = contextDigest(dir);
  rmSync(join(dir, 'link'));
  symlinkSync('/etc/passwd', join(dir, 'link'));
  assert.notEqual(contextDigest(dir), withLink);
});

test('the catalog reads each Dockerfile once and hashes each context once', () => {
  const root = join(tmp, 'root');
  makeContext(join(root, 'docker', 'base'));
  const catalog = new DockerImageCatalog(root);
  const volumes = catalog.volumesOf('base');
  assert.deepEqual(volumes, { volumes: ['/a'], dockerfile: join(root, 'docker', 'base', 'Dockerfile') });
  const digest = catalog.contextDigestOf('base');
  // Changes after the first look are not seen: the run works on one snapshot.
  writeFileSync(join(root, 'docker', 'base', 'Dockerfile'), 'FROM debian\nVOLUME /b\n');
  assert.deepEqual(catalog.volumesOf('base'), volumes);
  assert.equal(catalog.contextDigestOf('base'), digest);
  assert.notEqual(new DockerImageCatalog(root).contextDigestOf('base'), digest);
});

test('an image defined under another directory name is looked up there; a missing Dockerfile is explained', () => {
  const root = join(tmp, 'root2');
  makeContext(join(root, 'docker', 'shared'));
  const catalog = new DockerImageCatalog(root);
  catalog.define('custom', 'shared');
  assert.deepEqual((catalog.volumesOf('custom') as { volumes: string[] }).volumes, ['/a']);
  const missing = catalog.volumesOf('nope');
  assert.ok('error' in missing);
  assert.match(missing.error, /in-tree image "nope" has no Dockerfile: .*docker\/nope\/Dockerfile does not exist/);
});

test('volumes come from the Dockerfile text that was hashed, so digest and volumes agree', () => {
  const root = join(tmp, 'root3');
  makeContext(join(root, 'docker', 'img'));
  const catalog = new DockerImageCatalog(root);
  catalog.contextDigestOf('img');
  writeFileSync(join(root, 'docker', 'img', 'Dockerfile'), 'FROM debian\nVOLUME /changed\n');
  assert.deepEqual((catalog.volumesOf('img') as { volumes: string[] }).volumes, ['/a']);
});
