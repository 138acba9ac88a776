// The substitution rules of taskgraph's transforms are Python's str.format:
// what it gives, and what it refuses, for the strings kind files contain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormatError, pythonFormat } from '../../../../src/transform/transforms/substitute/python-format.js';

test('names, [key] lookups (an all-digit key is a list index), doubled braces, !r and !s, values printed as Python prints them', () => {
  const values = { name: 'app', matrix: { platform: 'linux', n: 3 }, list: ['a', "b'c"], flag: true, none: null, 'build-type': 'opt', f: 2.5 };
  assert.equal(pythonFormat('{name}-{matrix[platform]}-{matrix[n]}', values), 'app-linux-3');
  assert.equal(pythonFormat('{list[1]} {list} {flag} {none} {f}', values), `b'c ['a', "b'c"] True None 2.5`);
  assert.equal(pythonFormat('{matrix}', values), "{'platform': 'linux', 'n': 3}");
  assert.equal(pythonFormat('{{this_chunk}} {{{name}}} }}', values), '{this_chunk} {app} }');
  assert.equal(pythonFormat('{name!r} {name!s} {build-type}', values), "'app' app opt");
  assert.equal(pythonFormat('no braces at all', {}), 'no braces at all');
});

test('refuses what Python refuses, saying what is wrong', () => {
  const refuses = (text: string, pattern: RegExp) => assert.throws(() => pythonFormat(text, { a: 'x', m: { k: 1 }, l: [1] }), (e: unknown) => e instanceof FormatError && pattern.test(e.message));
  refuses('{b}', /no value named "b" for "\{b\}" in "\{b\}"/);
  refuses('{m[q]}', /\{'k': 1\} has no entry \[q\]/);
  refuses('{l[3]}', /has no entry \[3\]/);
  refuses('{m[0]}', /has no entry \[0\]/);
  refuses('{}', /asks for a positional value/);
  refuses('{0}', /asks for a positional value/);
  refuses('a } b', /single "\}"/);
  refuses('a { b', /without its closing/);
  refuses('{a!x}', /unknown conversion/);
  refuses('{a:>5}', /format specification, which is not supported here/);
  refuses('{a.upper}', /is not a name followed by \[key\] lookups/);
});
