// The content digest of a docker image's context: the SHA-256 of the context
// archive taskgraph would build for it (uncompressed), so that image tasks
// get taskgraph's cache names and index routes, and an image built by either
// tool is found by the other. Any change to a member's name, mode or bytes
// gives a new digest, and so a rebuild.
import { createHash } from 'node:crypto';
import { gnuTarChunks, type TarMember } from './gnu-tar.js';

export function contextDigest(members: Iterable<TarMember>): string {
  const hash = createHash('sha256');
  for (const chunk of gnuTarChunks(members)) hash.update(chunk);
  return hash.digest('hex');
}
