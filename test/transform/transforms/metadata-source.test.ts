import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Parameters } from '../../../src/transform/model.js';
import { metadataSourceFor, repositoryRoot, sourceUrl } from '../../../src/transform/transforms/metadata-source.js';

const tmp = mkdtempSync(join(tmpdir(), 'metadata-source-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const params = (over: Partial<Parameters>): Parameters =>
  ({ head_repository: 'https://github.com/example/widget/', head_rev: 'abc', repository_type: 'git', ...over }) as Parameters;

test('the repository root is the checkout above the taskgraph root, else the directory above it', () => {
  const repo = join(tmp, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'ci', 'taskcluster'), { recursive: true });
  assert.equal(repositoryRoot(join(repo, 'ci', 'taskcluster')), repo);
  const loose = join(tmp, 'loose', 'taskcluster');
  mkdirSync(loose, { recursive: true });
  // tmpdir() itself is in no checkout on this machine's test runs.
  assert.equal(repositoryRoot(loose), join(tmp, 'loose'));
});

test('git hosts link with /blob/, Mercurial with /file/, paths relative to the repository', () => {
  const repo = join(tmp, 'repo');
  const kindFile = join(repo, 'ci', 'taskcluster', 'kinds', 'build', 'kind.yml');
  assert.equal(sourceUrl(params({}), repo, kindFile), 'https://github.com/example/widget/blob/abc/ci/taskcluster/kinds/build/kind.yml');
  assert.equal(
    sourceUrl(params({ head_repository: 'https://hg.mozilla.org/mozilla-central', repository_type: 'hg' }), repo, kindFile),
    'https://hg.mozilla.org/mozilla-central/file/abc/ci/taskcluster/kinds/build/kind.yml',
  );
  // metadata.source links the kind directory, as taskgraph links it, not its kind.yml.
  assert.equal(
    metadataSourceFor({ root: join(repo, 'ci', 'taskcluster'), params: params({}) }, { file: kindFile }),
    'https://github.com/example/widget/blob/abc/ci/taskcluster/kinds/build',
  );
  assert.equal(
    metadataSourceFor(
      { root: join(repo, 'ci', 'taskcluster'), params: params({ head_repository: 'https://hg.mozilla.org/mozilla-central', repository_type: 'hg' }) },
      { file: kindFile },
    ),
    'https://hg.mozilla.org/mozilla-central/file/abc/ci/taskcluster/kinds/build',
  );
});
