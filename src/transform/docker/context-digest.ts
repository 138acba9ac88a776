// The content digest of a docker image's context directory. It names the image
// in the cache index: any change to a file of the context (or to its name)
// gives a new digest, and so a rebuild; an unchanged context finds the image
// built earlier.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

function listFiles(dir: string, prefix: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) listFiles(join(dir, entry.name), rel, out);
    else out.push(rel);
  }
}

/**
 * SHA-256 (hex) over every file of `dir`: relative POSIX paths in sorted
 * order, each with the SHA-256 of its content (a symbolic link contributes its
 * target, never what it points at, so the digest cannot escape the context).
 * Independent of the directory's absolute location, mtimes and listing order.
 * `onFile` sees each regular file's content, so callers need not read it again.
 */
export function contextDigest(dir: string, onFile?: (relativePath: string, content: Buffer) => void): string {
  const files: string[] = [];
  listFiles(dir, '', files);
  files.sort();
  const outer = createHash('sha256');
  for (const rel of files) {
    const abs = join(dir, ...rel.split('/'));
    const stat = lstatSync(abs);
    let content: string | Buffer;
    if (stat.isSymbolicLink()) content = `symlink:${readlinkSync(abs)}`;
    else {
      content = readFileSync(abs);
      onFile?.(rel, content);
    }
    const inner = createHash('sha256').update(content).digest('hex');
    outer.update(`${rel}\0${inner}\n`);
  }
  return outer.digest('hex');
}
