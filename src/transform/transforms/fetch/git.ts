// `fetch: {type: git}`: fetch-content archives one revision of a repository.
// The revision must be a full commit id: the artifact is cached under it, and
// a branch would go on naming an old archive.
import type { FetchGit } from '../../../generated/fetch-git.js';
import type { FetchCommand } from './types.js';

export function gitCommand(fetch: FetchGit): FetchCommand {
  const pathPrefix = fetch['path-prefix'] || fetch.repo.replace(/\/+$/, '').split('/').at(-1)!;
  const artifactName = fetch['artifact-name'] || `${pathPrefix}.tar.zst`;
  const command = [
    'fetch-content',
    'git-checkout-archive',
    '--path-prefix',
    pathPrefix,
    fetch.repo,
    fetch.revision,
    `/builds/worker/artifacts/${artifactName}`,
  ];
  if (fetch['ssh-key']) command.push('--ssh-key-secret', fetch['ssh-key']);
  const digestData = [fetch.revision, pathPrefix, artifactName];
  if (fetch['include-dot-git']) {
    command.push('--include-dot-git');
    digestData.push('.git');
  }
  return { command, artifactName, digestData, ...(fetch['ssh-key'] ? { secret: fetch['ssh-key'] } : {}) };
}
