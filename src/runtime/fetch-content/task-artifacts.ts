// `fetch-content task-artifacts`: the fetches of MOZ_FETCHES into DEST
// (MOZ_FETCHES_DIR unless -d), which is what run-task itself does before a
// task's command (../fetch/fetches.ts), the same code.
import { runFetches } from '../fetch/fetches.js';
import { MOZ_FETCHES, MOZ_FETCHES_DIR } from '../fetch/moz-fetches.js';
import { FetchContentError } from './failure.js';

export async function taskArtifacts(dest: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env[MOZ_FETCHES]) {
    throw new FetchContentError(`${MOZ_FETCHES} is not set: there is nothing to fetch; taskgraph sets it in tasks with fetches (a JSON list of artifacts)`);
  }
  await runFetches({ ...env, [MOZ_FETCHES_DIR]: dest });
}
