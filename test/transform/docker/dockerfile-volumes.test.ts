import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerfileSyntaxError, parseDockerfileVolumes } from '../../../src/transform/docker/dockerfile-volumes.js';

test('plain VOLUME lines give every path, sorted and without duplicates', () => {
  const text = 'FROM debian\nVOLUME /b /a\nRUN true\nVOLUME /c\nVOLUME /a\n';
  assert.deepEqual(parseDockerfileVolumes(text), ['/a', '/b', '/c']);
});

test('the JSON-array form is read as JSON', () => {
  assert.deepEqual(parseDockerfileVolumes('VOLUME ["/x y", "/z"]\n'), ['/x y', '/z']);
});

test('continuation lines are joined, comments inside them ignored, the keyword is case-insensitive', () => {
  const text = [
    'FROM debian',
    'volume /builds/worker/workspace \\',
    '# a comment in the middle',
    '       /builds/worker/artifacts',
    'VOLUME [ "/one", \\',
    '  "/two" ]',
    'RUN echo VOLUME /not-a-volume',
  ].join('\r\n');
  assert.deepEqual(parseDockerfileVolumes(text), ['/builds/worker/artifacts', '/builds/worker/workspace', '/one', '/two']);
});

test('a Dockerfile without VOLUME has none; lookalike instructions do not count', () => {
  assert.deepEqual(parseDockerfileVolumes('FROM x\nVOLUMES /a\n# VOLUME /b\nENV VOLUME=/c\n'), []);
});

test('a malformed JSON array is an error with its line number', () => {
  assert.throws(
    () => parseDockerfileVolumes('FROM x\n\nVOLUME ["/a",\n'),
    (err: unknown) => err instanceof DockerfileSyntaxError && err.line === 3 && /JSON array/.test(err.message),
  );
  assert.throws(() => parseDockerfileVolumes('VOLUME [1, 2]\n'), /array of strings/);
});
