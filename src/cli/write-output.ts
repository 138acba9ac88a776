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
    throw aboutTarget(error as NodeJS.ErrnoException, file);
  }
}

/** The error names the file the user asked for, not the temporary file it failed on. */
function aboutTarget(error: NodeJS.ErrnoException, file: string): NodeJS.ErrnoException {
  const reason =
    error.code === 'ENOENT'
      ? `the directory ${dirname(file)} does not exist`
      : error.code === 'EACCES' || error.code === 'EPERM'
        ? `permission denied in ${dirname(file)}`
        : error.code === 'EISDIR'
          ? 'it is a directory'
          : error.message;
  const described: NodeJS.ErrnoException = new Error(`cannot write it: ${reason}`);
  if (error.code !== undefined) described.code = error.code;
  described.path = file;
  described.stack = error.stack;
  return described;
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
