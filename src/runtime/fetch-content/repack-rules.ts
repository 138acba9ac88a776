// Whether static-url repacks what it downloaded or only renames it, decided
// from file names as taskgraph's fetch-content decides (should_repack_archive
// and archive_type), with Python's pathlib idea of a name's suffixes: names
// such as python-3.8.10-amd64.exe have several, which is why a matching
// last suffix counts as a rename unless the original looks like an archive.

/** pathlib's PurePath.suffixes: `a.tar.gz` → ['.tar', '.gz']; none for a name ending in a dot; leading dots skipped. */
export function suffixes(name: string): string[] {
  if (name.endsWith('.')) return [];
  return name
    .replace(/^\.+/, '')
    .split('.')
    .slice(1)
    .map((part) => `.${part}`);
}

/** pathlib's PurePath.suffix: the last one, or '' (a name starting with its only dot has none). */
export function suffix(name: string): string {
  const at = name.lastIndexOf('.');
  return at > 0 && at < name.length - 1 ? name.slice(at) : '';
}

/** What a name says it is: a tar (any `.tar.*`, or `.tgz`), a zip, or nothing known. */
export function archiveTypeOfName(name: string): 'tar' | 'zip' | undefined {
  const all = suffixes(name);
  if (all.at(-2) === '.tar' || all.at(-1) === '.tgz') return 'tar';
  if (suffix(name) === '.zip') return 'zip';
  return undefined;
}

export const isTarZst = (name: string) => {
  const all = suffixes(name);
  return all.at(-2) === '.tar' && all.at(-1) === '.zst';
};

/** Whether `orig` (the downloaded file's name) is repacked into `dest`, not only renamed. */
export function shouldRepack(orig: string, dest: string, stripComponents: number, prefix: string): boolean {
  if (stripComponents > 0 || prefix !== '') return true;
  const from = suffixes(orig);
  const to = suffixes(dest);
  if (from.length === to.length && from.every((s, i) => s === to[i])) return false;
  if (isTarZst(dest)) return true;
  if (suffix(orig) === suffix(dest)) return archiveTypeOfName(orig) !== undefined;
  return true;
}
