// `generate --write-artifacts DIR`: the decision task's share of in-tree
// images. Each image task downloads public/docker-contexts/<image>.tar.gz from
// the decision task, so the decision task must publish it: DIR is its
// artifacts directory (published as public/), and each context goes to
// DIR/docker-contexts/<image>.tar.gz.
//
// All tarballs are written to temporary files first and renamed into place
// only when every one of them is complete and matches its image's digest: a
// failed run leaves no partial tarball, and does not replace any.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticsError, type Diagnostic } from '../transform/diagnostics.js';
import { writeContextTarball } from '../transform/docker/context-tarball.js';
import type { DockerImageCatalog } from '../transform/docker/image-catalog.js';
import { makeDirectories } from './write-output.js';

export const CONTEXTS_DIR = 'docker-contexts';

/** An image name is used as a file name; one that would leave the directory is refused. */
function unusableAsFileName(image: string): boolean {
  return image === '' || image === '.' || image === '..' || /[/\0]/.test(image);
}

/** Writes every image's context tarball under `dir`; returns the files written. */
export async function writeDockerContexts(images: DockerImageCatalog, dir: string): Promise<string[]> {
  const target = join(dir, CONTEXTS_DIR);
  const problems: Diagnostic[] = [];
  const jobs: { temp: string; file: string; write: () => Promise<void> }[] = [];
  for (const { image, location } of images.definedImages()) {
    if (unusableAsFileName(image)) {
      problems.push({
        severity: 'error',
        message: `docker image "${image}" cannot be written as ${CONTEXTS_DIR}/${image}.tar.gz`,
        location,
        expected: 'an image name without "/" that is not "." or ".."',
      });
      continue;
    }
    const context = images.contextOf(image);
    // generate() has already failed on any image whose context has a problem.
    if ('problem' in context) throw new Error(`context of ${image} requested after it failed: ${context.problem.message}`);
    const file = join(target, `${image}.tar.gz`);
    const temp = join(target, `.${image}.tar.gz.${process.pid}.tmp`);
    jobs.push({
      temp,
      file,
      write: async () => {
        const written = await writeContextTarball(context.members, temp);
        if (written !== context.digest) {
          problems.push({
            severity: 'error',
            message:
              `docker image "${image}": its context changed while tc-payload ran (the image task carries digest ` +
              `${context.digest}, the files now give ${written}); run generate again`,
            location,
          });
        }
      },
    });
  }
  if (problems.length) throw new DiagnosticsError(problems);

  makeDirectories(target);
  const results = await Promise.allSettled(jobs.map((job) => job.write()));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure || problems.length) {
    for (const job of jobs) rmSync(job.temp, { force: true });
    if (failure) throw failure.reason;
    throw new DiagnosticsError(problems);
  }
  for (const job of jobs) renameSync(job.temp, job.file);
  return jobs.map((job) => job.file);
}
