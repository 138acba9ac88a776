// git-checkout-archive's --ssh-key-secret: the private key is the
// `ssh_privkey` of a Taskcluster secret, read through the task's proxy
// (TASKCLUSTER_PROXY_URL, which signs the request with the task's scopes:
// secrets:get:<name>). It is written to a file only this user can read, in a
// directory of its own, which the caller removes once git is done with it.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadSmall } from '../fetch/http-download.js';
import { withRetries } from '../fetch/retry.js';
import type { FetchSettings } from '../fetch/settings.js';
import { FetchContentError } from './failure.js';

const SECRET_LIMIT = 1024 * 1024;

export interface SshKey {
  /** The directory holding the key file, to remove. */
  dir: string;
  file: string;
}

export async function readSshKeySecret(name: string, env: NodeJS.ProcessEnv, settings: FetchSettings): Promise<SshKey> {
  const proxy = env.TASKCLUSTER_PROXY_URL;
  if (!proxy) {
    throw new FetchContentError(
      `--ssh-key-secret ${name}: TASKCLUSTER_PROXY_URL is not set, so the secret cannot be read; ` +
        `enable the Taskcluster proxy for the task (the taskclusterProxy feature) and give it the scope secrets:get:${name}`,
    );
  }
  const url = `${proxy.replace(/\/+$/, '')}/api/secrets/v1/secret/${name}`;
  const body = await withRetries(url, settings, () => downloadSmall(url, settings.idleTimeoutSeconds, SECRET_LIMIT)).catch((error: unknown) => {
    throw new FetchContentError(`cannot read the secret ${name} from ${url}: ${(error as Error).message}`);
  });
  let key: unknown;
  try {
    key = (JSON.parse(body.toString('utf8')) as { secret?: { ssh_privkey?: unknown } } | null)?.secret?.ssh_privkey;
  } catch (error) {
    throw new FetchContentError(`the secret ${name} from ${url} is not JSON (${(error as Error).message})`);
  }
  if (typeof key !== 'string' || key.trim() === '') {
    throw new FetchContentError(`the secret ${name} (${url}) has no "ssh_privkey" string under "secret"; expected {"secret": {"ssh_privkey": "-----BEGIN …"}}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'fetch-content-ssh-'));
  const file = join(dir, 'ssh-key');
  // ssh refuses a key file that others can read, and one without its final newline.
  await writeFile(file, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { dir, file };
}
