// Whether a cache is empty. An audit log alone still counts as empty: a purged
// or freshly created cache directory may have received an entry (e.g. from a
// run that failed right after writing it) and its history is worth keeping and
// appending to. Only a regular-file `.cachelog` qualifies; anything else in its
// place is content nobody should have left there.
import { opendirSync } from 'node:fs';
import { AUDIT_LOG_FILE } from '../../contract.js';

export function isEmptyCache(root: string): boolean {
  const dir = opendirSync(root);
  try {
    // Stops at the first entry that is content: a huge cache is not listed.
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (entry.name !== AUDIT_LOG_FILE || !entry.isFile()) return false;
    }
    return true;
  } finally {
    dir.closeSync();
  }
}
