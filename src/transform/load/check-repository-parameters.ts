// The schema lets any `<prefix>_head_rev`-shaped key through, because which
// prefixes exist is written in config.yml, not in the schema. This check
// holds each one to the repositories config.yml declares, so that a
// parameter for a repository that is not there, or for the repository the
// graph is generated for (which takes the unprefixed parameters), is an
// error where it was written instead of a value nothing reads.
import type { Diagnostic } from '../diagnostics.js';
import type { Parameters } from '../model.js';
import {
  parseRepositoryParameter,
  repositoryGeneratedFor,
  repositoryParameterName,
  repositoryParameterNames,
} from '../repository-parameters.js';
import { isNear, nearestKey } from '../validate/validate-schema.js';
import type { KeyedSourceMap } from './source-map.js';

/**
 * The per-repository parameters config.yml allows: those of every repository
 * but the one the graph is generated for (when that one is known).
 */
export function allowedRepositoryParameters(repositories: Readonly<Record<string, unknown>>, project: string): string[] {
  const declared = Object.keys(repositories);
  if (declared.length === 0) return [];
  const generatedFor = repositoryGeneratedFor(repositories, project);
  return repositoryParameterNames(declared.filter((p) => !generatedFor.ok || p !== generatedFor.prefix));
}

/**
 * Errors for the per-repository parameters of `params` that config.yml's
 * `repositories` (taskgraph.repositories, `{}` when it has none) do not allow.
 */
export function checkRepositoryParameters(
  params: Parameters,
  source: KeyedSourceMap,
  repositories: Readonly<Record<string, unknown>>,
): Diagnostic[] {
  const declared = Object.keys(repositories);
  const generatedFor = declared.length > 0 ? repositoryGeneratedFor(repositories, String(params.project)) : undefined;
  const diagnostics: Diagnostic[] = [];
  for (const key of Object.keys(params)) {
    const parsed = parseRepositoryParameter(key);
    if (!parsed) continue;
    const { prefix, field } = parsed;
    const at = { severity: 'error' as const, path: [key], location: source.locateKey([key]) };
    if (declared.length === 0) {
      diagnostics.push({
        ...at,
        message: `parameter "${key}" is for a repository "${prefix}", but config.yml declares no repositories (taskgraph.repositories)`,
        expected: `a repository declared under taskgraph.repositories in config.yml`,
        hint: `declare ${prefix} in config.yml, or remove the parameter`,
      });
    } else if (!declared.includes(prefix)) {
      // Near by the prefix alone: the shared field would make any two look alike.
      const others = declared.filter((p) => !(generatedFor?.ok && p === generatedFor.prefix));
      const nearest = others.length > 0 ? nearestKey(prefix, others) : undefined;
      diagnostics.push({
        ...at,
        message: `parameter "${key}" is for a repository "${prefix}", which config.yml does not declare`,
        expected: `a repository of config.yml taskgraph.repositories: ${declared.join(', ')}`,
        ...(nearest !== undefined && isNear(prefix, nearest) ? { hint: `did you mean "${repositoryParameterName(nearest, field)}"?` } : {}),
      });
    } else if (generatedFor?.ok && generatedFor.prefix === prefix) {
      diagnostics.push({
        ...at,
        message:
          `parameter "${key}" is for ${prefix}, the repository the graph is generated for` +
          `${declared.length > 1 ? ` (its project-regex matches the project "${String(params.project)}")` : ''}, ` +
          `which takes the unprefixed parameters`,
        expected: `the unprefixed parameter "${field}"`,
      });
    }
  }
  return diagnostics;
}
