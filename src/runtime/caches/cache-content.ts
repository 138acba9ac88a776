// Whether a cache is empty. An audit log alone still counts as empty: a purged
// or freshly created cache directory may have received an entry (e.g. from a
// run that failed right after writing it) and its history is worth keeping and
// appending to. Only a regular-file `.cachelog` qualifies; anything else in its
// place is content nobody should have left there.
//
// The new `.cacherequires` of another run-task that found the cache empty a
// moment earlier (two tasks starting together) is not content either: both
// write the same requirements, and the last rename wins. A temporary file a
// killed run-task left behind is harmless in the same way.
import { opendirSync } from 'node:fs';
import { AUDIT_LOG_FILE } from '../../contract.js';
import { TEMPORARY_PREFIX } from './requirements-file.js';

const isBookkeeping = (name: string) => name === AUDIT_LOG_FILE || name.startsWith(TEMPORARY_PREFIX);

export function isEmptyCache(root: string): boolean {
  const dir = opendirSync(root);
  try {
    // Stops at the first entry that is content: a huge cache is not listed.
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (!isBookkeeping(entry.name) || !entry.isFile()) return false;
    }
    return true;
  } finally {
    dir.closeSync();
  }
}
