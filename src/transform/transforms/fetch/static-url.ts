// `fetch: {type: static-url}`: fetch-content downloads the URL, checks its size
// and SHA-256, and (with strip-components / add-prefix) repacks an archive.
// The digest covers the checks and the artifact name, not the URL: the same
// file found elsewhere is the same cache entry.
import type { FetchStaticUrl } from '../../../generated/fetch-static-url.js';
import type { FetchCommand } from './types.js';

export function staticUrlCommand(fetch: FetchStaticUrl): FetchCommand {
  const artifactName = fetch['artifact-name'] || fetch.url.split('/').at(-1)!;
  const checks = ['--sha256', fetch.sha256, '--size', String(fetch.size)];
  // Zero and empty values mean "not given", as in taskgraph.
  if (fetch['strip-components']) checks.push('--strip-components', String(fetch['strip-components']));
  if (fetch['add-prefix']) checks.push('--add-prefix', fetch['add-prefix']);
  const command = ['fetch-content', 'static-url', ...checks];
  for (const [name, value] of Object.entries(fetch.headers ?? {})) command.push('-H', `${name}:${value}`);
  command.push(fetch.url, `/builds/worker/artifacts/${artifactName}`);
  return { command, artifactName, digestData: [...checks, artifactName] };
}
