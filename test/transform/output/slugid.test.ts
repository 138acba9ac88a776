import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NICE_SLUGID_PATTERN,
  SLUGID_PATTERN,
  niceSlugid,
  niceSlugidFromBytes,
  seededRandom,
  slugidGenerator,
} from '../../../src/transform/output/slugid.js';

function uuidBytes(slug: string): Buffer {
  return Buffer.from(slug, 'base64url');
}

describe('slugid', () => {
  it('makes nice v4 slugids: 22 characters, version 4, RFC 4122 variant, top bit clear', () => {
    const next = slugidGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = next();
      assert.equal(id.length, 22);
      assert.match(id, SLUGID_PATTERN);
      assert.match(id, NICE_SLUGID_PATTERN);
      const bytes = uuidBytes(id);
      assert.equal(bytes.length, 16);
      assert.equal(bytes[6]! >> 4, 4, `version nibble of ${id}`);
      assert.equal(bytes[8]! >> 6, 0b10, `variant bits of ${id}`);
      assert.equal(bytes[0]! >> 7, 0, `top bit of ${id}`);
      seen.add(id);
    }
    assert.equal(seen.size, 2000, 'random ids do not repeat');
  });

  it('forces the fixed bits whatever the random bytes are', () => {
    for (const fill of [0x00, 0xff, 0xaa, 0x55]) {
      const id = niceSlugidFromBytes(new Uint8Array(16).fill(fill));
      assert.match(id, NICE_SLUGID_PATTERN);
    }
    assert.equal(niceSlugidFromBytes(new Uint8Array(16)), 'AAAAAAAAQACAAAAAAAAAAA');
    assert.throws(() => niceSlugidFromBytes(new Uint8Array(15)), /16 bytes/);
  });

  it('is reproducible from a seed, and different seeds give different ids', () => {
    const a = slugidGenerator('seed-1');
    const b = slugidGenerator('seed-1');
    const c = slugidGenerator('seed-2');
    const first = Array.from({ length: 50 }, () => a());
    assert.deepEqual(Array.from({ length: 50 }, () => b()), first);
    const other = Array.from({ length: 50 }, () => c());
    assert.equal(other.filter((id) => first.includes(id)).length, 0);
    assert.equal(new Set(first).size, 50);
  });

  it('draws seeded bytes as one stream, however they are split', () => {
    const whole = seededRandom('x').bytes(100);
    const r = seededRandom('x');
    const parts = Buffer.concat([r.bytes(7), r.bytes(32), r.bytes(61)]);
    assert.deepEqual(Buffer.from(whole), parts);
    assert.match(niceSlugid(seededRandom('x')), NICE_SLUGID_PATTERN);
  });
});
