// `generate --write-artifacts DIR` also writes DIR/run-task: generic-worker
// tasks mount run-task from the decision task's public/run-task artifact, so
// the decision task that publishes DIR as public/ provides it. Written to a
// temporary file and renamed into place, so a failure never leaves half a file.
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticsError } from '../transform/diagnostics.js';
import { runtimeBundlePath } from '../transform/package-paths.js';
import { makeDirectories } from './write-output.js';

export const RUNTIME_ARTIFACT = 'run-task';

/** Copies this package's run-task to `dir/run-task`; returns the file written. */
export function writeRuntimeArtifact(dir: string, bundle = runtimeBundlePath): string {
  if (!existsSync(bundle)) {
    throw new DiagnosticsError([
      { severity: 'error', message: `cannot write ${join(dir, RUNTIME_ARTIFACT)}: ${bundle} has not been built`, hint: 'npm run build in the tc-payload package' },
    ]);
  }
  makeDirectories(dir);
  const file = join(dir, RUNTIME_ARTIFACT);
  const temp = join(dir, `.${RUNTIME_ARTIFACT}.${process.pid}.tmp`);
  try {
    copyFileSync(bundle, temp);
    chmodSync(temp, 0o755);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return file;
}
