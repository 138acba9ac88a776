// When static-url repacks and when it only renames: taskgraph's rules, on names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archiveTypeOfName, shouldRepack, suffixes } from '../../../src/runtime/fetch-content/repack-rules.js';

test('names are split into suffixes as Python\'s pathlib does', () => {
  assert.deepEqual(suffixes('tool-1.0.tar.gz'), ['.0', '.tar', '.gz']);
  assert.deepEqual(suffixes('.bashrc'), []);
  assert.deepEqual(suffixes('..a.b'), ['.b']);
  assert.deepEqual(suffixes('name.'), []);
  assert.equal(archiveTypeOfName('x.tar.bz2'), 'tar');
  assert.equal(archiveTypeOfName('x.tgz'), 'tar');
  assert.equal(archiveTypeOfName('x.zip'), 'zip');
  assert.equal(archiveTypeOfName('x.gz'), undefined);
});

test('a repack when DEST is .tar.zst and the extensions differ, or names change; a rename otherwise', () => {
  const cases: [string, string, number, string, boolean][] = [
    ['tool', 'tool.tar.zst', 0, '', true],
    ['tool.tgz', 'tool.tar.zst', 0, '', true],
    ['tool.zip', 'tool.tar.zst', 0, '', true],
    ['tool.zst', 'tool.tar.zst', 0, '', true],
    ['tool.tar.zst', 'tool.tar.zst', 1, '', true],
    ['tool.tar.zst', 'tool.tar.zst', 0, 'p/', true],
    ['tool.zip', 'tool.zip', 0, '', false],
    ['before.tar.zst', 'after.tar.zst', 0, '', false],
    ['a.x.y', 'b.x.y', 0, '', false],
    // One last extension alike: a rename, unless the download's name says archive.
    ['python-3.8.10-amd64.exe', 'python.exe', 0, '', false],
    ['abc.bin', 'model.en.alphas.bin', 0, '', false],
    ['tool-1.0.tar.gz', 'tool.gz', 0, '', true],
    ['tool.tar.gz', 'tool.tar.xz', 0, '', true],
  ];
  for (const [orig, dest, strip, prefix, expected] of cases) {
    assert.equal(shouldRepack(orig, dest, strip, prefix), expected, `${orig} → ${dest} (strip ${strip}, prefix ${JSON.stringify(prefix)})`);
  }
});
