// The repositories a run-task checkout can clone, from config.yml
// `taskgraph.repositories` and the parameters (taskgraph's
// TransformConfig.repo_configs). The repository the graph is generated for
// takes its URLs and revision from the unprefixed parameters; every other one
// from its `<prefix>_*` parameters where given, else from its own
// `default-repository`, `default-ref` and `type` in config.yml (all that
// taskgraph itself reads for it).
import type { Diagnostic } from '../../diagnostics.js';
import type { LoadedGraph, Parameters } from '../../model.js';
import { repositoryGeneratedFor, repositoryParameterName, type RepositoryParameterField } from '../../repository-parameters.js';
import { isRecord } from '../../plain-data.js';

export interface RepositoryConfig {
  /** The key under `taskgraph.repositories`: run-task's `--<prefix>-checkout`, the env prefix. */
  prefix: string;
  name: string;
  baseRepository: string;
  headRepository: string;
  headRef: string;
  /** Only the repository the graph is generated for has a revision. */
  headRev?: string;
  type: string;
  /** Directory of the checkout relative to the VCS path; `''` is the VCS path itself. */
  path: string;
  sshSecretName?: string;
}

export type RepositoriesResult =
  | {
      ok: true;
      /** Every configured repository, by prefix, in config.yml order (the generated-for one first). */
      repositories: Map<string, RepositoryConfig>;
      /** Configured repositories that cannot be cloned, with why; an error only for tasks that check them out. */
      incomplete: Map<string, Diagnostic>;
    }
  | { ok: false; diagnostic: Diagnostic };

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

const cache = new WeakMap<LoadedGraph, RepositoriesResult>();

/** The configured repositories in config.yml order, the generated-for one first; computed once per graph. */
export function repositoryConfigs(graph: LoadedGraph): RepositoriesResult {
  let result = cache.get(graph);
  if (!result) {
    result = compute(graph);
    cache.set(graph, result);
  }
  return result;
}

function compute(graph: LoadedGraph): RepositoriesResult {
  const { config, configSource, params } = graph;
  const where = ['taskgraph', 'repositories'];
  const fail = (message: string, path: (string | number)[], hint?: string): RepositoriesResult => ({
    ok: false,
    diagnostic: { severity: 'error', message, path, location: configSource.locate(path), ...(hint ? { hint } : {}) },
  });
  const repositories = config.taskgraph?.repositories;
  if (!isRecord(repositories) || Object.keys(repositories).length === 0) {
    return fail(
      'a run-task checkout needs the repositories of the graph, but config.yml has no taskgraph.repositories',
      isRecord(config.taskgraph) ? ['taskgraph'] : [],
      'add `taskgraph: {repositories: {<prefix>: {name: <name>}}}` to config.yml, or set `run.checkout: false`',
    );
  }
  const generatedFor = repositoryGeneratedFor(repositories, String(params.project));
  if (!generatedFor.ok) {
    const { matching, invalid } = generatedFor;
    return fail(
      invalid
        ? `the project-regex of repository "${invalid.prefix}" is not a valid regular expression: ${invalid.reason}`
        : matching.length === 0
          ? `no repository of taskgraph.repositories has a project-regex matching the project "${String(params.project)}"`
          : `several repositories match the project "${String(params.project)}": ${matching.join(', ')}`,
      invalid ? [...where, invalid.prefix, 'project-regex'] : where,
      'with several repositories, exactly one project-regex must match the `project` parameter',
    );
  }
  const current = generatedFor.prefix;
  const prefixes = Object.keys(repositories);

  const found = new Map<string, RepositoryConfig>();
  const incomplete = new Map<string, Diagnostic>();
  const entry = (prefix: string) => repositories[prefix] as Record<string, unknown>;
  const secret = (prefix: string) => text(entry(prefix)['ssh-secret-name']);
  found.set(current, {
    prefix: current,
    name: String(entry(current).name),
    baseRepository: String(params.base_repository),
    headRepository: String(params.head_repository),
    headRef: String(params.head_ref),
    headRev: String(params.head_rev),
    type: String(params.repository_type),
    path: '',
    ...(secret(current) !== undefined ? { sshSecretName: secret(current) } : {}),
  });
  for (const prefix of prefixes) {
    if (prefix === current) continue;
    const resolved = otherRepository(prefix, entry(prefix), params);
    if (!resolved.ok) {
      const { configKey, parameters } = resolved.missing;
      const problem = fail(
        `repository "${prefix}" has no ${configKey}, and the parameter${parameters.length > 1 ? 's' : ''} ${parameters.join(' or ')} ${parameters.length > 1 ? 'are' : 'is'} not given; ` +
          `repositories other than the one the graph is generated for (${current}) are cloned from their <prefix>_* parameters, else from their defaults in config.yml`,
        [...where, prefix],
        `add \`${configKey}:\` to taskgraph.repositories.${prefix}, or give ${parameters.join(' or ')} (in the parameters file or with -p)`,
      );
      if (!problem.ok) incomplete.set(prefix, problem.diagnostic);
      continue;
    }
    found.set(prefix, { ...resolved.repository, ...(secret(prefix) !== undefined ? { sshSecretName: secret(prefix) } : {}) });
  }
  return { ok: true, repositories: found, incomplete };
}

type OtherRepository =
  | { ok: true; repository: RepositoryConfig }
  /** What config.yml lacks, and the parameters that would stand in for it. */
  | { ok: false; missing: { configKey: string; parameters: string[] } };

/**
 * A repository other than the one the graph is generated for. Each value is
 * its `<prefix>_*` parameter when given, else config.yml's:
 *   head repository  ← <prefix>_head_repository, default-repository
 *   base repository  ← <prefix>_base_repository, default-repository, the head repository
 *   head rev         ← <prefix>_head_rev (none: run-task checks out the tip of the ref)
 *   head ref         ← <prefix>_head_ref, default-ref, <prefix>_head_rev
 *   type             ← <prefix>_repository_type, type
 * The base prefers default-repository to a given head so that a fork's
 * revision is fetched into a clone of the usual (cached) repository. The ref
 * prefers default-ref to a given revision because run-task fetches the ref
 * first and the revision only when the ref lacks it: a branch can be fetched
 * from any server, a bare revision only from those that allow it.
 */
function otherRepository(prefix: string, repo: Record<string, unknown>, params: Parameters): OtherRepository {
  const given = (field: RepositoryParameterField): string | undefined => {
    const value = params[repositoryParameterName(prefix, field)];
    return typeof value === 'string' ? value : undefined;
  };
  const headRev = given('head_rev');
  const headRepository = given('head_repository') ?? text(repo['default-repository']);
  const headRef = given('head_ref') ?? text(repo['default-ref']) ?? headRev;
  const type = given('repository_type') ?? text(repo.type);
  const missing = (configKey: string, ...fields: RepositoryParameterField[]): OtherRepository => ({
    ok: false,
    missing: { configKey, parameters: fields.map((field) => repositoryParameterName(prefix, field)) },
  });
  if (headRepository === undefined) return missing('default-repository', 'head_repository');
  if (headRef === undefined) return missing('default-ref', 'head_ref', 'head_rev');
  if (type === undefined) return missing('type', 'repository_type');
  return {
    ok: true,
    repository: {
      prefix,
      name: String(repo.name),
      baseRepository: given('base_repository') ?? text(repo['default-repository']) ?? headRepository,
      headRepository,
      headRef,
      ...(headRev !== undefined ? { headRev } : {}),
      type,
      path: '',
    },
  };
}
