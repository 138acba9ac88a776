// The SSH private key of a checkout, read from the Taskcluster secrets service
// through the task's proxy, as taskgraph's run-task does: the run transform
// gives the task `<PREFIX>_SSH_SECRET_NAME`, the scope `secrets:get:<name>` and
// the proxy; the secret holds the key under `ssh_privkey`.
//
// The key is never printed: not on success, and not in an error, which names
// the secret, the address asked and what to check, and at most the names of
// the secret's keys and the service's own error message.
import { RunTaskExit } from '../failure.js';
import { logLine } from '../log.js';

export const DEFAULT_PROXY_URL = 'http://taskcluster';
/** The proxy runs next to the task; an answer slower than this will not come. */
const TIMEOUT_SECONDS = 10;
const PRIVATE_KEY_FIELD = 'ssh_privkey';

/** Where the proxy serves the secret `name`: `<proxy>/secrets/v1/secret/<name>`. */
export function secretUrl(name: string, env: NodeJS.ProcessEnv): string {
  const proxy = (env.TASKCLUSTER_PROXY_URL || DEFAULT_PROXY_URL).replace(/\/+$/, '');
  // Secret names may hold slashes (project/x/deploy-key); each part is escaped alone.
  return `${proxy}/secrets/v1/secret/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** The private key stored in the secret `name`; a clear error (exit 1) when there is none. */
export async function fetchSshPrivateKey(name: string, variable: string, env: NodeJS.ProcessEnv): Promise<string> {
  const url = secretUrl(name, env);
  const fail = (lines: string[]) =>
    new RunTaskExit(1, 'vcs', [`error: cannot get the SSH key of the secret ${name} (${variable}) from ${url}: ${lines[0]}`, ...lines.slice(1)]);
  logLine('vcs', `fetching the secret ${name} (${variable}) from ${url}`);

  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000) });
  } catch (error) {
    throw fail([
      `the Taskcluster proxy cannot be reached (${networkReason(error)})`,
      'check that the task runs with the proxy (docker-worker: the payload feature taskclusterProxy, which the run transform ' +
        `enables for checkouts) and, when TASKCLUSTER_PROXY_URL is set, that it names the proxy (default ${DEFAULT_PROXY_URL})`,
    ]);
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw fail([`the answer was cut off (${networkReason(error)}); the task can be rerun`]);
  }
  if (!response.ok) throw fail(httpError(response, body, name));

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // The body is not printed: it may hold the key.
    throw fail([`the answer (HTTP ${response.status}, ${body.length} bytes) is not JSON, so not a secret of the Taskcluster secrets service`,
      `check that TASKCLUSTER_PROXY_URL (default ${DEFAULT_PROXY_URL}) names the Taskcluster proxy`]);
  }
  const secret = isRecord(parsed) ? parsed.secret : undefined;
  if (!isRecord(secret)) {
    throw fail(['the answer has no "secret" object, so it is not a secret of the Taskcluster secrets service',
      `check that TASKCLUSTER_PROXY_URL (default ${DEFAULT_PROXY_URL}) names the Taskcluster proxy`]);
  }
  const key = secret[PRIVATE_KEY_FIELD];
  if (typeof key !== 'string' || key.trim() === '') {
    const fields = Object.keys(secret);
    throw fail([
      key === undefined ? `the secret has no ${PRIVATE_KEY_FIELD}` : `the secret's ${PRIVATE_KEY_FIELD} is not a non-empty string`,
      `it has ${fields.length === 0 ? 'no fields' : `the fields ${fields.map((f) => JSON.stringify(f)).join(', ')}`}; store the ` +
        `private key (OpenSSH format, no passphrase) as the string ${PRIVATE_KEY_FIELD} of the secret ${name}`,
    ]);
  }
  return key;
}

function httpError(response: Response, body: string, name: string): string[] {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  // The services answer errors as {code, message}; the first line of the message says enough.
  let detail = '';
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) {
      const code = typeof parsed.code === 'string' ? parsed.code : undefined;
      const message = typeof parsed.message === 'string' ? parsed.message.split('\n').find((l) => l.trim() !== '') : undefined;
      detail = [code, message?.trim().slice(0, 300)].filter(Boolean).join(': ');
    }
  } catch {
    // Not JSON: the status alone is reported.
  }
  const what = `the proxy answered ${status}${detail ? ` (${escapeControls(detail)})` : ''}`;
  if (response.status === 401 || response.status === 403) {
    return [what, `the task needs the scope secrets:get:${name}; the run transform adds it for ssh-secret-name in config.yml`];
  }
  if (response.status === 404) {
    return [what, `no secret ${name} exists, or it has expired: check ssh-secret-name in config.yml and the secret in the Taskcluster secrets service`];
  }
  return [what, 'the secrets service or the proxy failed; the task can be rerun'];
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_SECONDS} s`;
  // fetch reports "fetch failed" and keeps the system's reason (ECONNREFUSED, ENOTFOUND, …) as its cause.
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause : error instanceof Error ? error : undefined;
  if (inner === undefined) return String(error);
  const code = (inner as NodeJS.ErrnoException).code;
  return code && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The service's message is printed into the task log: no control characters.
const escapeControls = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
