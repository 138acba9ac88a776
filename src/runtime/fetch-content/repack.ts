// static-url's repack: what was downloaded becomes DEST, a .tar.zst, as
// taskgraph's fetch-content makes it (repack_archive). A tar is recompressed,
// or, with --strip-components or --add-prefix, rewritten entry by entry with
// new names (directories left out, hard links renamed with their targets); a
// zip becomes a tar of its files and links; any other file, with
// --force-archive, becomes a tar of that one file (0755 when it is an ELF or
// Mach-O executable, else 0644). The image's programs decompress, unzip and
// compress; tar-stream reads and writes the tar entries between them, as
// Python's tarfile does in fetch-content.
import { execa } from 'execa';
import { once } from 'node:events';
import { lstat, open, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { extract as tarExtract, pack as tarPack, type Header, type Pack } from 'tar-stream';
import { archiveFormat, MissingProgram, SNIFF_BYTES, type Compression } from '../fetch/archive-format.js';
import { FetchContentError } from './failure.js';
import { isTarZst } from './repack-rules.js';
import { openSource } from './repack-source.js';
import { runTool } from './tool.js';
import { writeZstdFile, type ZstdInput } from './zstd-file.js';

export interface RepackOptions {
  stripComponents: number;
  prefix: string;
  forceArchive: boolean;
  /** A private directory for the zip's extraction. */
  scratch: string;
}

/** tar-stream's header: the pax records it read, and only those fields that are known when writing. */
type Headers = Partial<Omit<Header, 'pax'>> & { name: string; pax?: Record<string, string> };

type Original = { kind: 'zip' } | { kind: 'tar'; compression: Compression | undefined } | { kind: 'file'; executable: boolean };

const EXECUTABLE_SIGNATURES = [
  'feedface', // Mach-O 32-bit, big-endian
  'cefaedfe', // Mach-O 32-bit, little-endian
  'feedfacf', // Mach-O 64-bit, big-endian
  'cffaedfe', // Mach-O 64-bit, little-endian
  'cafebabe', // Mach-O universal
  '7f454c46', // ELF
];

/** Repacks the file `orig`, downloaded as `name`, into `dest`. */
export async function repack(orig: string, name: string, dest: string, options: RepackOptions): Promise<string> {
  if (!isTarZst(dest)) {
    throw new FetchContentError(
      `cannot repack ${name} into ${dest}: only .tar.zst archives are produced; name DEST …​.tar.zst ` +
        '(or give it the same extension as the download, to keep the file as it is)',
    );
  }
  const original = await originalKind(orig, name, options.forceArchive);
  const rename = renamer(options.stripComponents, options.prefix);
  await writeZstdFile(dest, async (output) => {
    if (original.kind === 'tar' && rename === undefined) {
      // Only the compression changes; the tar stream is kept byte for byte.
      const source = openSource(orig, original.compression);
      try {
        await output.copy(source.chunks);
        await source.done();
      } catch (error) {
        await source.stop();
        throw error;
      }
      return;
    }
    await packInto(output, async (pack) => {
      if (original.kind === 'tar') await copyTarEntries(orig, name, original.compression, pack, rename);
      else if (original.kind === 'zip') await zipEntries(orig, options.scratch, pack, rename);
      else await singleFile(orig, name, original.executable, pack, rename);
    });
  });
  const what = original.kind === 'file' ? `a tar of the single file ${name}` : `a tar (from the ${original.kind === 'zip' ? 'zip' : 'tar'})`;
  return `repacked into ${dest}: ${what}${describeRename(options)}, compressed with zstd`;
}

const describeRename = ({ stripComponents, prefix }: RepackOptions) =>
  [stripComponents > 0 ? `, ${stripComponents} leading components stripped` : '', prefix ? `, prefix ${prefix} added` : ''].join('');

async function originalKind(orig: string, name: string, forceArchive: boolean): Promise<Original> {
  const head = await readHead(orig);
  let format;
  try {
    format = await archiveFormat(head);
  } catch (error) {
    if (error instanceof MissingProgram) throw new FetchContentError(`${error.message}; the image needs it to repack ${name}`);
    throw error;
  }
  if (format.kind === 'zip') return { kind: 'zip' };
  if (format.kind === 'tar') return { kind: 'tar', compression: format.compression };
  if (!forceArchive) {
    throw new FetchContentError(
      `${name} is not an archive (neither a zip nor a tar, plain or compressed with gzip, bzip2, xz or zstd), so it cannot be repacked; ` +
        'pass --force-archive to put the file alone into the tar, or give DEST the extension of the download to keep it as it is',
    );
  }
  return { kind: 'file', executable: EXECUTABLE_SIGNATURES.includes(head.subarray(0, 4).toString('hex')) };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

type Rename = ((name: string) => string) | undefined;

/** The new name of an entry: its first components stripped, the prefix added (as fetch-content, a plain string prefix). */
function renamer(stripComponents: number, prefix: string): Rename {
  if (stripComponents === 0 && prefix === '') return undefined;
  return (name) => {
    let result = name;
    if (stripComponents > 0) {
      result = name.split('/').slice(stripComponents).join('/');
      if (result === '') {
        throw new FetchContentError(
          `--strip-components ${stripComponents} would remove files: the archive's ${JSON.stringify(name)} has no more than ${stripComponents} components; ` +
            'strip fewer (list the archive with tar -tf to see its names)',
        );
      }
    }
    return prefix + result;
  };
}

/** A tar written by `fill` into `output`. */
async function packInto(output: ZstdInput, fill: (pack: Pack) => Promise<void>): Promise<void> {
  const pack = tarPack();
  pack.on('error', () => {});
  const writing = output.copy(pack as unknown as AsyncIterable<Uint8Array>);
  try {
    await fill(pack);
    pack.finalize();
  } catch (error) {
    pack.destroy(new Error('repack abandoned'));
    await writing.catch(() => {});
    throw error;
  }
  await writing;
}

/** Adds one entry; `body` gives a file's bytes. */
async function addEntry(pack: Pack, header: Headers, body?: AsyncIterable<Uint8Array>): Promise<void> {
  let settle: (error?: Error | null) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve(undefined));
  });
  // Awaited below; when the body fails first, the pack's later failure must not go unhandled.
  done.catch(() => {});
  const sink = pack.entry(header, (error) => settle(error));
  // A pack destroyed meanwhile (the input failed) destroys the entry with an error: it settles here.
  sink.on('error', (error: Error) => settle(error));
  if (body !== undefined) {
    for await (const chunk of body) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    sink.end(null);
  } else {
    sink.end(null);
  }
  await done;
}

async function copyTarEntries(orig: string, name: string, compression: Compression | undefined, pack: Pack, rename: Rename): Promise<void> {
  const source = openSource(orig, compression);
  const extract = tarExtract();
  // Its failures reach the loop below through the iteration; an 'error' event without a listener would end the process.
  extract.on('error', () => {});
  const feeding = (async () => {
    for await (const chunk of source.chunks) {
      if (!extract.write(chunk)) await once(extract, 'drain');
    }
    extract.end(null);
  })();
  feeding.catch(() => {});
  try {
    for await (const entry of extract) {
      const header = entry.header as Headers;
      if (header.type === 'directory') {
        entry.resume();
        continue;
      }
      // tar-stream has already put a pax path into the name; the new name gets its own pax record when needed.
      const { path: _path, linkpath: _linkpath, ...pax } = header.pax ?? {};
      const renamed: Headers = {
        ...header,
        name: rename!(header.name),
        linkname: header.type === 'link' && header.linkname ? rename!(header.linkname) : header.linkname,
        pax: Object.keys(pax).length > 0 ? pax : undefined,
      };
      if (header.type === 'file' || header.type === 'contiguous-file') {
        await addEntry(pack, renamed, entry as AsyncIterable<Uint8Array>);
      } else {
        entry.resume();
        await addEntry(pack, renamed);
      }
    }
    await feeding;
    await source.done();
  } catch (error) {
    extract.destroy();
    await source.stop();
    await source.done().catch(() => {});
    throw error instanceof FetchContentError || !(error instanceof Error) ? error : new FetchContentError(`cannot read the tar ${name}: ${error.message}`);
  }
}

/** The zip's files and links, extracted by the image's unzip, in the zip's order. */
async function zipEntries(orig: string, scratch: string, pack: Pack, rename: Rename): Promise<void> {
  const listed = await execa('unzip', ['-Z1', orig], { reject: false, stdin: 'ignore' });
  if (listed.exitCode !== 0) {
    const missing = (listed.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    throw new FetchContentError(
      missing ? 'unzip is not installed (not found in PATH); the image needs it to repack a zip' : `unzip -Z1 ${orig} exited with status ${listed.exitCode}: ${listed.stderr.trim()}`,
    );
  }
  const dir = join(scratch, 'unzipped');
  // Zip times carry no time zone: read as UTC, as fetch-content does.
  await runTool('unzip', ['-q', '-o', orig, '-d', dir], { env: { ...process.env, TZ: 'UTC' }, purpose: 'to repack a zip' });
  for (const name of listed.stdout.split('\n')) {
    if (name === '' || name.endsWith('/')) continue;
    const path = join(dir, name);
    const stats = await lstat(path).catch(() => {
      throw new FetchContentError(`the zip's entry ${JSON.stringify(name)} was not extracted by unzip (an unsafe or unusual name?)`);
    });
    const header: Headers = { name: rename ? rename(name) : name, mode: stats.mode & 0o7777, mtime: stats.mtime, uid: 0, gid: 0, uname: '', gname: '' };
    if (stats.isSymbolicLink()) {
      await addEntry(pack, { ...header, type: 'symlink', linkname: await readlink(path), size: 0 });
    } else if (stats.isFile()) {
      const handle = await open(path, 'r');
      try {
        await addEntry(pack, { ...header, type: 'file', size: stats.size }, handle.createReadStream({ autoClose: false }));
      } finally {
        await handle.close();
      }
    } else {
      throw new FetchContentError(`the zip's entry ${JSON.stringify(name)} is neither a file nor a symbolic link, which a repack does not support`);
    }
  }
}

async function singleFile(orig: string, name: string, executable: boolean, pack: Pack, rename: Rename): Promise<void> {
  const stats = await lstat(orig);
  const handle = await open(orig, 'r');
  try {
    const header: Headers = {
      name: rename ? rename(name) : name,
      type: 'file',
      size: stats.size,
      mtime: stats.mtime,
      mode: executable ? 0o755 : 0o644,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
    };
    await addEntry(pack, header, handle.createReadStream({ autoClose: false }));
  } finally {
    await handle.close();
  }
}
