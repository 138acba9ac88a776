// Output goes to a temporary file beside the target and is renamed over it, so
// a failed or interrupted run never leaves a half-written or emptied file.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export function writeFileAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * `mkdir -p`, one directory at a time. Node's own recursive mkdir never ends
 * on a file system that answers ENOENT for a directory it will not create
 * (`--write-artifacts /proc/x` spun forever); here every error but "it is
 * already a directory" is reported, with the directory it is about.
 */
export function makeDirectories(path: string): void {
  const missing: string[] = [];
  let dir = resolve(path);
  for (;;) {
    try {
      if (statSync(dir).isDirectory()) break;
      mkdirSync(dir); // not a directory: let mkdir say so (EEXIST or ENOTDIR), with its path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw error;
    }
    missing.push(dir);
    dir = dirname(dir);
  }
  for (const each of missing.reverse()) mkdirSync(each);
}
