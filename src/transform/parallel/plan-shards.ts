// How the kinds of a tree are shared out between the threads of a parallel
// generation. Kinds are weighed by the bytes of YAML in their directory (a
// cheap stand-in for their number of tasks, read without parsing anything)
// and dealt, heaviest first, to the lightest share so far. The main thread,
// which also assembles and writes the output, takes the lightest share.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kindNames } from '../load/load-graph.js';

/**
 * Below this many bytes of kind YAML per share a thread costs more to start
 * (about 100 ms to load the modules) than it saves.
 */
export const MIN_BYTES_PER_SHARD = 256 * 1024;

function kindWeight(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && /\.ya?ml$/.test(entry.name)) bytes += statSync(join(dir, entry.name)).size;
  }
  return bytes;
}

/**
 * The kinds of each share, the main thread's first; a single share means
 * "not worth splitting". `width` is the most shares wanted; `minBytes` the
 * least YAML a share must have (0 to split whatever the size).
 */
export function planShards(root: string, width: number, minBytes = MIN_BYTES_PER_SHARD): string[][] {
  let names: string[];
  try {
    names = kindNames(root);
  } catch {
    return [[]]; // unreadable: the serial generation reports it
  }
  const weights = new Map<string, number>();
  let total = 0;
  for (const name of names) {
    let weight = 0;
    try {
      weight = kindWeight(join(root, 'kinds', name));
    } catch {
      // reported by the loader
    }
    weights.set(name, weight);
    total += weight;
  }
  const count = Math.max(1, Math.min(width, names.length, minBytes > 0 ? Math.floor(total / minBytes) : names.length));
  if (count === 1) return [names];
  const shares = Array.from({ length: count }, () => ({ kinds: [] as string[], bytes: 0 }));
  const heaviestFirst = [...names].sort((a, b) => weights.get(b)! - weights.get(a)! || (a < b ? -1 : 1));
  for (const name of heaviestFirst) {
    const lightest = shares.reduce((min, share) => (share.bytes < min.bytes ? share : min));
    lightest.kinds.push(name);
    lightest.bytes += weights.get(name)!;
  }
  return shares.sort((a, b) => a.bytes - b.bytes).map((share) => share.kinds.sort());
}
