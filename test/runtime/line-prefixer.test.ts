// The prefixer on its own: chunk boundaries anywhere, bytes unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinePrefixer } from '../../src/runtime/exec/line-prefixer.js';

const PREFIX = /\[task \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] /g;

function run(chunks: Uint8Array[]): Buffer {
  const prefixer = new LinePrefixer();
  // Copies: the prefixer reuses its output buffer.
  const out = chunks.map((c) => Buffer.from(prefixer.push(c)));
  out.push(Buffer.from(prefixer.finish()));
  return Buffer.concat(out);
}

test('every line gets one prefix wherever the chunks are cut', () => {
  const input = Buffer.from('one\ntwo\n\nthree\nfour');
  for (let cut = 0; cut <= input.length; cut++) {
    for (let cut2 = cut; cut2 <= input.length; cut2++) {
      const output = run([input.subarray(0, cut), input.subarray(cut, cut2), input.subarray(cut2)]);
      const text = output.toString('latin1');
      assert.equal(text.replace(PREFIX, ''), 'one\ntwo\n\nthree\nfour\n', `cuts at ${cut}, ${cut2}`);
      assert.equal(text.match(PREFIX)?.length, 5, `cuts at ${cut}, ${cut2}`);
      assert.ok(text.split('\n').slice(0, -1).every((line) => /^\[task [^\]]+\] /.test(line)), text);
    }
  }
});

test('bytes that are not UTF-8 pass through unchanged', () => {
  const input = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a, 0xc3, 0x28, 0x0d, 0x0a]);
  const output = run([input]);
  const expected = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a, 0xc3, 0x28, 0x0d, 0x0a]);
  assert.deepEqual(Buffer.from(output.toString('latin1').replace(PREFIX, ''), 'latin1'), expected);
});

test('a stream without output prints nothing, one without a final newline gets one', () => {
  assert.equal(run([]).length, 0);
  assert.match(run([Buffer.from('x')]).toString(), /^\[task [^\]]+\] x\n$/);
});
