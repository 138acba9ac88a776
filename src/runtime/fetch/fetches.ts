// Fetches: the artifacts of other tasks that MOZ_FETCHES lists, downloaded
// into MOZ_FETCHES_DIR before the command runs. What taskgraph's run-task
// does by running its fetch-content script (`fetch-content task-artifacts`),
// done here by run-task itself: as the task's user, after the checkouts, when
// MOZ_FETCHES is set. A failed fetch fails the run with exit status 1 (as
// taskgraph's run-task, whose fetch-content fails) after the other fetches
// end, every failure named with its artifact, URL and reason.
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { RunTaskExit, reason } from '../failure.js';
import { logLine } from '../log.js';
import { CHAIN_OF_TRUST_ARTIFACT, fetchUrl } from './artifact-url.js';
import { expectedSha256 } from './chain-of-trust.js';
import { fetchOne, type FetchPlan } from './fetch-one.js';
import { MOZ_FETCHES, MOZ_FETCHES_DIR, parseMozFetches, type FetchSpec } from './moz-fetches.js';
import { GaveUp } from './retry.js';
import { readFetchSettings, type FetchSettings } from './settings.js';

export async function runFetches(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const specs = parseMozFetches(env[MOZ_FETCHES]!);
  const root = env[MOZ_FETCHES_DIR];
  if (!root) {
    throw new RunTaskExit(1, 'fetches', [
      `error: ${MOZ_FETCHES} is set but ${MOZ_FETCHES_DIR} is not, so there is nowhere to put the fetches`,
      `set ${MOZ_FETCHES_DIR} in the task's environment (taskgraph sets it with the fetches, to "fetches" under the task's directory)`,
    ]);
  }
  const settings = readFetchSettings(env);
  // Made absolute before the checkouts ended (checkout/environment.ts), relative to run-task's directory.
  const urls = specs.map((spec) => fetchUrl(spec, env));
  const started = performance.now();
  const concurrency = Math.min(settings.concurrency, specs.length);
  logLine('fetches', `fetching ${count(specs.length, 'artifact')} into ${root}${specs.length > 1 ? ` (${concurrency} at a time)` : ''}`);

  const failures: string[][] = [];
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const index = next++;
      const spec = specs[index]!;
      const failure = await fetchSpec(spec, urls[index]!, root, env, settings);
      if (failure !== undefined) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (failures.length > 0) {
    throw new RunTaskExit(1, 'fetches', [
      ...failures.flat(),
      `error: ${failures.length} of ${count(specs.length, 'fetch', 'fetches')} failed (after ${seconds} s); the command does not run`,
    ]);
  }
  logLine('fetches', `finished fetching ${count(specs.length, 'artifact')} in ${seconds} s`);
}

/** Fetches one artifact; the lines of its error when it fails. */
async function fetchSpec(spec: FetchSpec, url: string, root: string, env: NodeJS.ProcessEnv, settings: FetchSettings): Promise<string[] | undefined> {
  const label = spec.artifact;
  const cannot = `error: cannot fetch ${spec.artifact} of task ${spec.task} from ${url}`;
  const dir = spec.dest === undefined ? root : resolve(root, spec.dest);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return [`${cannot}: cannot create its directory ${dir}: ${reason(error)}`];
  }
  let sha256: string | undefined;
  if (spec.verifyHash) {
    try {
      const expected = await expectedSha256(spec, env, settings);
      sha256 = expected.sha256;
      logLine('fetches', `${label}: expecting sha256 ${sha256} (from ${expected.url})`);
    } catch (error) {
      return [
        `${cannot}: verify-hash is set, and its expected sha256 cannot be read from the task's chain of trust: ${why(error)}`,
        ...hints(error, spec.task, CHAIN_OF_TRUST_ARTIFACT, ' (the worker writes it for tasks with the chainOfTrust feature)'),
      ];
    }
  }
  logLine('fetches', `${label}: downloading from task ${spec.task}: ${url}`);
  const plan: FetchPlan = { label, url, dir, name: basename(spec.artifact), extract: spec.extract, sha256 };
  try {
    const fetched = await fetchOne(plan, settings);
    const rate = fetched.bytes >= 1e6 && fetched.seconds > 0 ? ` (${(fetched.bytes / 1e6 / fetched.seconds).toFixed(1)} MB/s)` : '';
    logLine(
      'fetches',
      `${label}: ${fetched.bytes} bytes, sha256 ${fetched.sha256}${sha256 !== undefined ? ' (verified)' : ''}, ` +
        `in ${fetched.seconds.toFixed(2)} s${rate}; ${fetched.outcome}`,
    );
    return undefined;
  } catch (error) {
    return [`${cannot}: ${why(error)}`, ...hints(error, spec.task, spec.artifact, ' (the fetches of the task definition name it)')];
  }
}

function why(error: unknown): string {
  if (error instanceof GaveUp) return error.attempts > 1 ? `${error.message} (attempt ${error.attempts}, the last)` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** What to check, for the answers that will not change by retrying. */
function hints(error: unknown, task: string, artifact: string, origin: string): string[] {
  const status = error instanceof GaveUp ? error.failure.httpStatus : undefined;
  if (status === 404) return [`error: check that task ${task} made an artifact named ${artifact}${origin} and that it has not expired`];
  if (status === 401 || status === 403) {
    return [`error: the task needs the scope queue:get-artifact:${artifact} to read this artifact through the Taskcluster proxy`];
  }
  return [];
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
