// `fetch-content git-checkout-archive`: a .tar.zst of one commit of a git
// repository, its files under <prefix>/ (the repository's name unless
// --path-prefix), as taskgraph's fetch-content makes it: a full clone without
// checkout (the commit may be on no branch), a detached checkout of the
// commit, the submodules; with --include-dot-git, a .git of depth 1 cloned
// from that clone, its origin set back to REPO. The image's git, tar and zstd
// do the work in a private temporary directory, removed after.
//
// Left out: taskgraph's shortcut for https://github.com/ repositories (the
// archive GitHub serves); every repository is cloned.
import { mkdir, mkdtemp, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { logLine } from '../log.js';
import { readFetchSettings } from '../fetch/settings.js';
import { removeStaged } from '../fetch/staging.js';
import { FetchContentError } from './failure.js';
import { isTarZst } from './repack-rules.js';
import { readSshKeySecret } from './ssh-key-secret.js';
import { relay, runTool, toolFailure } from './tool.js';
import { writeZstdFile } from './zstd-file.js';

export interface GitCheckoutArchiveArgs {
  repo: string;
  commit: string;
  dest: string;
  pathPrefix: string | undefined;
  sshKeySecret: string | undefined;
  includeDotGit: boolean;
}

export async function gitCheckoutArchive(args: GitCheckoutArchiveArgs, env: NodeJS.ProcessEnv): Promise<void> {
  const dest = resolve(args.dest);
  if (!isTarZst(dest)) throw new FetchContentError(`DEST ${args.dest}: only .tar.zst archives are produced; name it …​.tar.zst`);
  const prefix = args.pathPrefix || args.repo.replace(/\/+$/, '').split('/').at(-1)!;
  if (prefix.startsWith('/') || prefix.split('/').some((part) => part === '..' || part === '.') || prefix === '') {
    throw new FetchContentError(`the path prefix ${JSON.stringify(prefix)} must be a relative path without . or .. components; pass --path-prefix NAME`);
  }
  const settings = readFetchSettings(env);
  await mkdir(dirname(dest), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'fetch-content-git-'));
  const checkout = join(work, prefix);
  let key: { dir: string; file: string } | undefined;
  try {
    let gitEnv = env;
    if (args.sshKeySecret !== undefined) {
      key = await readSshKeySecret(args.sshKeySecret, env, settings);
      logLine('fetch-content', `using the ssh key of the secret ${args.sshKeySecret}`);
      // git runs it through the shell: the path is quoted, whatever TMPDIR holds.
      gitEnv = { ...env, GIT_SSH_COMMAND: `ssh -o 'StrictHostKeyChecking no' -i '${key.file.replaceAll("'", `'\\''`)}'` };
    }
    const git = (gitArgs: string[], cwd?: string) => runTool('git', gitArgs, { cwd, env: gitEnv, purpose: `to clone ${args.repo}` });

    logLine('fetch-content', `cloning ${args.repo} to ${checkout}`);
    await git(['clone', '-n', args.repo, checkout]);
    // Detached, so that git says which commit it checked out.
    await git(['checkout', '--detach', args.commit], checkout);
    if (args.includeDotGit) {
      // A shallow clone of REPO may not reach the commit; one of the full clone does.
      const full = `${checkout}.orig`;
      await rename(checkout, full);
      await git(['clone', `file://${full}`, checkout, '--depth', '1']);
      await git(['remote', 'set-url', 'origin', args.repo], checkout);
    }
    // --depth 1 costs the server more: only when the .git is kept.
    await git(['submodule', 'update', '--init', ...(args.includeDotGit ? ['--depth', '1'] : [])], checkout);
    if (key !== undefined) {
      await removeStaged(key.dir);
      key = undefined;
    }

    logLine('fetch-content', `creating the archive ${dest} of commit ${args.commit}`);
    const tarArgs = ['cf', '-', ...(args.includeDotGit ? [] : ['--exclude=.git']), '-C', work, prefix];
    await writeZstdFile(dest, async (output) => {
      const tar = execa('tar', tarArgs, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false });
      const said = relay(tar.stderr!);
      try {
        await output.copy(tar.stdout as AsyncIterable<Uint8Array>);
      } catch (error) {
        tar.kill('SIGKILL');
        await tar;
        throw error;
      }
      const result = await tar;
      if (result.exitCode !== 0) throw new FetchContentError(toolFailure('tar', tarArgs, result, said(), `to archive ${args.repo}`));
    });
    logLine('fetch-content', `wrote ${dest}`);
  } finally {
    if (key !== undefined) await removeStaged(key.dir);
    await removeStaged(work);
  }
}
