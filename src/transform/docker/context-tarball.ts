// The docker context an image task downloads (public/docker-contexts/<image>.tar.gz):
// the archive whose SHA-256 is the image's digest, gzip-compressed. The
// archive is streamed, so a large included directory is never held in memory.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants } from 'node:zlib';
import { gnuTarChunks, type TarMember } from './gnu-tar.js';

/**
 * Writes the gzip-compressed archive of `members` to `file` and returns the
 * SHA-256 of the archive it wrote (before compression), for the caller to
 * compare with the digest the image task carries. The gzip header has no name
 * and no time, so the same members give the same bytes.
 */
export async function writeContextTarball(members: Iterable<TarMember>, file: string): Promise<string> {
  const hash = createHash('sha256');
  function* hashed(): Generator<Buffer> {
    for (const chunk of gnuTarChunks(members)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(Readable.from(hashed()), createGzip({ level: constants.Z_BEST_COMPRESSION }), createWriteStream(file));
  return hash.digest('hex');
}
