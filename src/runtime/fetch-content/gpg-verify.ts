// static-url's --gpg-sig-url: the downloaded file must verify against a
// detached signature with the public key held in an environment variable.
// The image's gpg checks it in a keyring of its own, made for this check and
// removed after, so that no key of the image's or the user's counts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { logLine } from '../log.js';
import { FetchContentError } from './failure.js';
import { runTool } from './tool.js';

export async function gpgVerify(file: string, label: string, publicKey: Buffer, signature: Buffer): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'fetch-content-gnupg-'));
  const gpg = ['--homedir', home, '--batch'];
  try {
    logLine('fetch-content', `${label}: importing the GPG key`);
    await runTool('gpg', [...gpg, '--import'], { input: publicKey, purpose: 'for --gpg-sig-url' }).catch((error: unknown) => {
      throw new FetchContentError(`the GPG key cannot be imported: ${(error as Error).message}`);
    });
    logLine('fetch-content', `${label}: verifying its GPG signature`);
    await runTool('gpg', [...gpg, '--verify', '-', file], { input: signature, purpose: 'for --gpg-sig-url' }).catch((error: unknown) => {
      throw new FetchContentError(`GPG signature verification failed for ${label}: ${(error as Error).message}`);
    });
    logLine('fetch-content', `${label}: GPG signature verified`);
  } finally {
    // gpg starts an agent in the home directory; it must go before the directory does.
    await execa('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home }, reject: false, stdio: 'ignore' });
    await rm(home, { recursive: true, force: true });
  }
}
