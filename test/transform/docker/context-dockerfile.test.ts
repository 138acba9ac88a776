import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerfileDirectiveError, rewriteContextDockerfile } from '../../../src/transform/docker/context-dockerfile.js';

function directiveError(text: string, args: Record<string, string> = {}): DockerfileDirectiveError {
  try {
    rewriteContextDockerfile(text, args);
  } catch (error) {
    assert.ok(error instanceof DockerfileDirectiveError, String(error));
    return error;
  }
  assert.fail(`no error for ${JSON.stringify(text)}`);
}

test('# %include lines stay in the text and give their paths, lines and columns', () => {
  const text = 'FROM debian\n# %include scripts/setup.sh\n#  %include not-a-directive\n# %include   tools/  \nRUN true\n';
  const { text: out, includes } = rewriteContextDockerfile(text, {});
  assert.equal(out, text);
  assert.deepEqual(includes, [
    { path: 'scripts/setup.sh', line: 2, column: 12 },
    { path: 'tools/', line: 4, column: 14 },
  ]);
});

test('newlines are read as Python reads text: CRLF and lone CR become LF', () => {
  const { text, includes } = rewriteContextDockerfile('FROM a\r\n# %include x\rRUN b', {});
  assert.equal(text, 'FROM a\n# %include x\nRUN b');
  assert.deepEqual(includes, [{ path: 'x', line: 2, column: 12 }]);
});

test('# %ARG lines go, and $NAME after them is replaced where a word ends', () => {
  const text = [
    'FROM debian:$VERSION', // before the directive: left alone
    '# %ARG VERSION',
    'FROM debian:$VERSION',
    'RUN echo $VERSIONS $VERSION_2 ${VERSION} $VERSION-slim $VERSIONé $VERSION.1',
    '# %include tools/$VERSION/bin',
    '',
  ].join('\n');
  const { text: out, includes } = rewriteContextDockerfile(text, { VERSION: '12', UNUSED: 'x' });
  assert.equal(
    out,
    ['FROM debian:$VERSION', 'FROM debian:12', 'RUN echo $VERSIONS $VERSION_2 ${VERSION} 12-slim $VERSIONé 12.1', '# %include tools/12/bin', ''].join('\n'),
  );
  assert.deepEqual(includes, [{ path: 'tools/12/bin', line: 5, column: 12 }]);
});

test('directive mistakes are located, with what was expected', () => {
  const missing = directiveError('FROM a\n# %ARG PYTHON_VERSION\n', { OTHER: '1' });
  assert.deepEqual([missing.line, missing.column], [2, 8]);
  assert.match(missing.message, /no argument PYTHON_VERSION/);
  assert.match(missing.expected!, /args: \{PYTHON_VERSION: …\}/);

  const regex = directiveError('# %ARG A.B\n', { 'A.B': '1' });
  assert.match(regex.message, /plain argument name/);

  const backslash = directiveError('# %ARG A\n', { A: 'C:\\x' });
  assert.match(backslash.message, /backslash/);

  const empty = directiveError('# %include\n');
  assert.match(empty.message, /without a path/);
});

test('# %include-run-task becomes the COPY lines that install run-task and fetch-content from the context', () => {
  const { text, includes, includesRunTask } = rewriteContextDockerfile('FROM a\n# %include-run-task  \nRUN true\n', {});
  assert.equal(includesRunTask, true);
  assert.deepEqual(includes, []);
  assert.equal(
    text,
    'FROM a\n# %include-run-task  \nCOPY run-task/run-task /usr/local/bin/run-task\nCOPY run-task/fetch-content /usr/local/bin/fetch-content\nRUN true\n',
  );
  assert.equal(rewriteContextDockerfile('FROM a\n', {}).includesRunTask, false);
});
