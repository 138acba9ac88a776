// How many threads a parallel generation uses, and the order in which they
// take the kinds. Kinds are weighed by the bytes of YAML in their directory
// (a cheap stand-in for their number of tasks, read without parsing anything)
// and handed out heaviest first, so that the last kinds taken, the ones that
// decide when the slowest thread finishes, are small.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kindNames } from '../load/load-graph.js';

/**
 * Below this many bytes of kind YAML per thread a thread costs more to start
 * (about 100 ms to load the modules) than it saves.
 */
export const MIN_BYTES_PER_THREAD = 256 * 1024;

export interface ShardPlan {
  /** Every kind, in the order the threads take them. */
  kinds: string[];
  /** How many threads, the main one included; 1 means "not worth splitting". */
  threads: number;
}

function kindWeight(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && /\.ya?ml$/.test(entry.name)) bytes += statSync(join(dir, entry.name)).size;
  }
  return bytes;
}

/** `width` is the most threads wanted; `minBytes` the least YAML a thread must have (0 to split whatever the size). */
export function planShards(root: string, width: number, minBytes = MIN_BYTES_PER_THREAD): ShardPlan {
  let names: string[];
  try {
    names = kindNames(root);
  } catch {
    return { kinds: [], threads: 1 }; // unreadable: the serial generation reports it
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
  const threads = Math.max(1, Math.min(width, names.length, minBytes > 0 ? Math.floor(total / minBytes) : names.length));
  const kinds = [...names].sort((a, b) => weights.get(b)! - weights.get(a)! || (a < b ? -1 : 1));
  return { kinds, threads };
}
