// Real archives for the fetch tests, made by the same programs an image has
// (tar, gzip, bzip2, xz, zstd, zip), of a small tree with what archives carry:
// nested directories, an executable, a symbolic link, an empty directory.
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FORMATS = ['tar', 'tar.gz', 'tar.bz2', 'tar.xz', 'tar.zst', 'zip'] as const;
export type Format = (typeof FORMATS)[number];

const COMPRESSOR: Record<Exclude<Format, 'tar' | 'zip'>, string> = {
  'tar.gz': 'gzip -c',
  'tar.bz2': 'bzip2 -c',
  'tar.xz': 'xz -c -T1',
  'tar.zst': 'zstd -q -c',
};

/** Makes `<root>/<top>/…` and returns `root`. */
export function sampleTree(root: string, top = 'tool', extra = ''): string {
  const base = join(root, top);
  mkdirSync(join(base, 'bin'), { recursive: true });
  mkdirSync(join(base, 'share', 'doc'), { recursive: true });
  mkdirSync(join(base, 'empty'), { recursive: true });
  writeFileSync(join(base, 'bin', 'run'), `#!/bin/sh\necho ${top} runs${extra}\n`);
  chmodSync(join(base, 'bin', 'run'), 0o755);
  writeFileSync(join(base, 'share', 'doc', 'README'), `the ${top} tool${extra}\n`.repeat(200));
  symlinkSync('bin/run', join(base, 'run'));
  return root;
}

/** The archive of `top` under `root`, in `format`, as bytes. */
export function archive(root: string, top: string, format: Format): Buffer {
  const options = { cwd: root, maxBuffer: 1 << 30 };
  if (format === 'zip') {
    const file = join(root, `.${top}.zip`);
    execFileSync('zip', ['-q', '-r', '-y', file, top], options);
    return readFileSync(file);
  }
  const tar = `tar -cf - ${top}`;
  const command = format === 'tar' ? tar : `${tar} | ${COMPRESSOR[format]}`;
  return execFileSync('sh', ['-c', command], options);
}

/**
 * Every entry under `dir`, sorted, with its kind, permission bits and content
 * (a link's target): two trees are the same when their listings are.
 */
export function listing(dir: string, prefix = ''): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stats = lstatSync(path);
    const mode = (stats.mode & 0o777).toString(8);
    const shown = `${prefix}${name}`;
    if (stats.isSymbolicLink()) lines.push(`${shown} -> ${readlinkSync(path)}`);
    else if (stats.isDirectory()) lines.push(`${shown}/ ${mode}`, ...listing(path, `${shown}/`));
    else lines.push(`${shown} ${mode} ${JSON.stringify(readFileSync(path, 'utf8').slice(0, 40))} ${stats.size}`);
  }
  return lines;
}

/** Owners (uid:gid) of every entry under `dir`, links included. */
export function owners(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (path: string) => {
    const stats = lstatSync(path);
    found.add(`${stats.uid}:${stats.gid}`);
    if (stats.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  for (const name of readdirSync(dir)) walk(join(dir, name));
  return found;
}
