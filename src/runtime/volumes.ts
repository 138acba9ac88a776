// Volumes (the image's VOLUME lines and the worker's own) must start empty, so
// that a task sees the same thing whether a path is a fresh volume or a cache.
import { opendirSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunTaskExit } from './failure.js';
import { logLine } from './log.js';
import { giveMountRoot, mountRoot } from './mount-root.js';
import type { TaskIdentity } from './users.js';

/** Enough entries to recognise what put files there, without listing a huge tree. */
const MAX_LISTED_ENTRIES = 100;

export function prepareVolumes(volumes: readonly string[], caches: readonly string[], identity: TaskIdentity, isRoot: boolean): void {
  const cachePaths = new Set(caches.map((c) => resolve(c)));
  for (const volume of volumes) {
    if (cachePaths.has(resolve(volume))) {
      logLine('volume', `volume ${volume} is a cache; it was prepared as a cache`);
      continue;
    }
    prepareVolume(volume, identity, isRoot);
  }
}

function prepareVolume(volume: string, identity: TaskIdentity, isRoot: boolean): void {
  const root = mountRoot(volume, 'volume');
  const entries = listSome(root);
  if (entries.names.length > 0) {
    const more = entries.more ? ` and more (only the first ${MAX_LISTED_ENTRIES} are listed)` : '';
    throw new RunTaskExit(1, 'volume', [
      `error: volume ${volume} is not empty; volumes must start empty.`,
      'Most likely the image build wrote into this path after declaring it a VOLUME: change the',
      'Dockerfile (and what it runs) so that nothing is created under a VOLUME path.',
      `entries in ${volume}: ${entries.names.sort().map((n) => JSON.stringify(n)).join(' ')}${more}`,
    ]);
  }
  if (isRoot) {
    logLine('volume', `changing the owner of volume ${volume} to ${identity.uid}:${identity.gid}`);
    giveMountRoot(volume, root, 'volume', identity);
  }
}

function listSome(root: string): { names: string[]; more: boolean } {
  const dir = opendirSync(root);
  const names: string[] = [];
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (names.length === MAX_LISTED_ENTRIES) return { names, more: true };
      names.push(entry.name);
    }
    return { names, more: false };
  } finally {
    dir.closeSync();
  }
}
