// Which repositories to check out and from where: REPOSITORIES maps each
// prefix to a repository name, and `<PREFIX>_BASE_REPOSITORY`, `_HEAD_REPOSITORY`,
// `_HEAD_REV`, `_HEAD_REF`, `_REPOSITORY_TYPE`, `_SSH_SECRET_NAME` describe it
// (the environment the run transform writes, as taskgraph does).
import { isAbsolute, resolve } from 'node:path';
import { RunTaskExit } from '../failure.js';
import type { CheckoutOptions } from './options.js';

export interface Checkout {
  prefix: string;
  /** The repository's name in REPOSITORIES, for messages. */
  name: string;
  /** Absolute, resolved against the directory run-task started in. */
  path: string;
  /** Cloned from when the path holds no clone yet (the head repository when unset). */
  baseRepository: string;
  headRepository: string;
  headRev: string | undefined;
  headRef: string | undefined;
  shallow: boolean;
  /** The Taskcluster secret whose `ssh_privkey` git authenticates with, if any. */
  sshSecretName: string | undefined;
}

const DEFAULT_REPOSITORIES = { vcs: 'repository' };

function fail(lines: string[]): RunTaskExit {
  return new RunTaskExit(1, 'vcs', lines.map((l, i) => (i === 0 ? `error: ${l}` : l)));
}

/** REPOSITORIES: repository prefix → name. */
export function readRepositoryNames(env: NodeJS.ProcessEnv): Record<string, string> {
  const text = env.REPOSITORIES;
  if (text === undefined || text === '') return DEFAULT_REPOSITORIES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail([`REPOSITORIES is not valid JSON (${(error as Error).message}): ${JSON.stringify(text)}`,
      'it must map each repository prefix to its name, e.g. {"vcs": "repository"}']);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) ||
      !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw fail([`REPOSITORIES must be a JSON object of prefix → name, e.g. {"vcs": "repository"}; it is ${text}`]);
  }
  return parsed as Record<string, string>;
}

/**
 * The checkouts the command line asks for, each completed from the
 * environment. Every problem is a clear error before anything is touched.
 */
export function readCheckouts(options: CheckoutOptions, env: NodeJS.ProcessEnv, workdir: string): Checkout[] {
  const names = readRepositoryNames(env);
  const known = Object.keys(names);
  for (const [prefix, option] of [
    ...[...options.sparseProfiles.keys()].map((p) => [p, `--${p}-sparse-profile`] as const),
    ...[...options.shallowClones].map((p) => [p, `--${p}-shallow-clone`] as const),
  ]) {
    if (!options.paths.has(prefix)) {
      throw fail([`${option} is given without --${prefix}-checkout; give the checkout's path too, or leave the option out`]);
    }
  }
  const checkouts: Checkout[] = [];
  for (const [prefix, path] of options.paths) {
    if (!(prefix in names)) {
      throw fail([`--${prefix}-checkout names the repository prefix "${prefix}", which REPOSITORIES does not define`,
        `REPOSITORIES defines: ${known.join(', ') || 'nothing'} (${env.REPOSITORIES === undefined ? 'the default, as it is unset' : JSON.stringify(env.REPOSITORIES)})`]);
    }
    const upper = prefix.toUpperCase();
    const value = (key: string): string | undefined => {
      const v = env[`${upper}_${key}`];
      return v === undefined || v === '' ? undefined : v;
    };
    const type = value('REPOSITORY_TYPE') ?? 'git';
    if (type === 'hg') {
      throw fail([`${upper}_REPOSITORY_TYPE is hg: this run-task checks out git repositories only`,
        'use a run-task with Mercurial support for hg repositories, or check the repository out in the command']);
    }
    if (type !== 'git') throw fail([`${upper}_REPOSITORY_TYPE is "${type}"; the only supported type is git`]);
    const sparse = options.sparseProfiles.get(prefix);
    if (sparse !== undefined) {
      throw fail([`--${prefix}-sparse-profile ${sparse}: sparse profiles are a Mercurial feature, not supported for git checkouts`,
        'leave the option out (the whole repository is checked out)']);
    }
    const headRepository = value('HEAD_REPOSITORY');
    if (headRepository === undefined) {
      throw fail([`--${prefix}-checkout ${path} needs ${upper}_HEAD_REPOSITORY, the repository to fetch the revision from; it is not set`]);
    }
    const headRev = value('HEAD_REV');
    const headRef = value('HEAD_REF');
    if (headRev === undefined && headRef === undefined) {
      throw fail([`--${prefix}-checkout ${path} needs ${upper}_HEAD_REV (a revision) or ${upper}_HEAD_REF (a branch or tag); neither is set`]);
    }
    checkouts.push({
      prefix,
      name: names[prefix],
      path: isAbsolute(path) ? resolve(path) : resolve(workdir, path),
      baseRepository: value('BASE_REPOSITORY') ?? headRepository,
      headRepository,
      headRev,
      headRef,
      shallow: options.shallowClones.has(prefix),
      sshSecretName: value('SSH_SECRET_NAME'),
    });
  }
  // Parents first: a path sorts before every path inside it.
  return checkouts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
