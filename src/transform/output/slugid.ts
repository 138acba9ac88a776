// Task ids in the form Taskcluster uses everywhere: a random (version 4) UUID
// written as 22 characters of URL-safe base64 without padding, in the "nice"
// variant of the `slugid` package: the UUID's most significant bit is 0, so
// the id starts with A–Z, a–f and can never be mistaken for a command-line
// option. With a seed the bytes come from a deterministic generator, so that
// the same inputs and seed give the same ids; without one, from the system's
// cryptographic generator.
import { createHash, randomBytes } from 'node:crypto';

/** The queue's pattern for any v4 slugid (version nibble 4, RFC 4122 variant). */
export const SLUGID_PATTERN = /^[A-Za-z0-9_-]{8}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$/;
/** Nice slugids additionally start with A–Z or a–f. */
export const NICE_SLUGID_PATTERN = /^[A-Za-f][A-Za-z0-9_-]{7}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$/;

export interface RandomSource {
  bytes(count: number): Uint8Array;
}

export const systemRandom: RandomSource = { bytes: (count) => randomBytes(count) };

/**
 * SHA-256 in counter mode: block i is SHA-256(domain, seed, i). Not for
 * secrets; only a reproducible stream of well-mixed bytes.
 */
export function seededRandom(seed: string): RandomSource {
  let counter = 0n;
  let pool = Buffer.alloc(0);
  return {
    bytes(count) {
      while (pool.length < count) {
        const block = Buffer.alloc(8);
        block.writeBigUInt64BE(counter++);
        const digest = createHash('sha256').update('tc-payload slugid\0').update(seed).update('\0').update(block).digest();
        pool = Buffer.concat([pool, digest]);
      }
      const out = pool.subarray(0, count);
      pool = pool.subarray(count);
      return Uint8Array.from(out);
    },
  };
}

/** Makes 16 bytes a nice v4 UUID and encodes it. */
export function niceSlugidFromBytes(input: Uint8Array): string {
  if (input.length !== 16) throw new Error(`a slugid needs 16 bytes, got ${input.length}`);
  const bytes = Buffer.from(input);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  bytes[0] = bytes[0]! & 0x7f; // "nice": first character A–f
  return bytes.toString('base64url');
}

export function niceSlugid(random: RandomSource = systemRandom): string {
  return niceSlugidFromBytes(random.bytes(16));
}

/** A source of fresh ids: reproducible from `seed`, random without one. */
export function slugidGenerator(seed?: string): () => string {
  const random = seed === undefined ? systemRandom : seededRandom(seed);
  return () => niceSlugid(random);
}
