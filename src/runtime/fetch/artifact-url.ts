// Where an artifact is downloaded from, as taskgraph's fetch-content decides:
// a public artifact (its name starts with `public/`) straight from the queue
// of the deployment (TASKCLUSTER_ROOT_URL, which every worker sets); any
// other through the task's Taskcluster proxy (TASKCLUSTER_PROXY_URL), which
// signs the request with the task's scopes (`queue:get-artifact:<name>`).
import { RunTaskExit } from '../failure.js';
import type { FetchSpec } from './moz-fetches.js';

export const CHAIN_OF_TRUST_ARTIFACT = 'public/chain-of-trust.json';

export function artifactUrl(task: string, artifact: string, env: NodeJS.ProcessEnv): string {
  const base = artifact.startsWith('public/') ? rootUrl(env, artifact) : proxyUrl(env, artifact);
  return `${base}/api/queue/v1/task/${quote(task)}/artifacts/${artifact.split('/').map(quote).join('/')}`;
}

/** The URL of `spec`'s artifact. */
export const fetchUrl = (spec: FetchSpec, env: NodeJS.ProcessEnv) => artifactUrl(spec.task, spec.artifact, env);

function rootUrl(env: NodeJS.ProcessEnv, artifact: string): string {
  const url = env.TASKCLUSTER_ROOT_URL;
  if (!url) {
    throw new RunTaskExit(1, 'fetches', [
      `error: cannot fetch ${artifact}: TASKCLUSTER_ROOT_URL is not set, so the queue to download public artifacts from is unknown`,
      'the worker sets it in every task; when running run-task by hand, set it to the root URL of the deployment (https://tc.example.com)',
    ]);
  }
  return url.replace(/\/+$/, '');
}

function proxyUrl(env: NodeJS.ProcessEnv, artifact: string): string {
  const url = env.TASKCLUSTER_PROXY_URL;
  if (!url) {
    throw new RunTaskExit(1, 'fetches', [
      `error: cannot fetch ${artifact}: it is not public (its name does not start with public/), so it is downloaded ` +
        'through the Taskcluster proxy, but TASKCLUSTER_PROXY_URL is not set',
      'enable the proxy for the task (docker-worker: the payload feature taskclusterProxy; generic-worker: ' +
        'the feature taskclusterProxy), and give the task the scope queue:get-artifact:<name> for the artifact',
    ]);
  }
  return url.replace(/\/+$/, '');
}

// As Python's urllib.parse.quote, which fetch-content uses: only letters,
// digits and _.-~ stay as they are.
const quote = (part: string) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
