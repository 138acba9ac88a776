// The repositories a run-task checkout can clone, from config.yml
// `taskgraph.repositories` and the parameters (taskgraph's
// TransformConfig.repo_configs). The repository the graph is generated for
// takes its URLs and revision from the parameters; every other one from its
// own `default-repository`, `default-ref` and `type` in config.yml.
import type { Diagnostic } from '../../diagnostics.js';
import type { LoadedGraph } from '../../model.js';

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

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
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
  const prefixes = Object.keys(repositories);
  let current = prefixes[0]!;
  if (prefixes.length > 1) {
    const project = String(params.project);
    const matching = prefixes.filter((prefix) => {
      const regex = repositories[prefix]?.['project-regex'];
      // Python's re.match: anchored at the start only.
      return typeof regex === 'string' && new RegExp(`^(?:${regex})`).test(project);
    });
    if (matching.length !== 1) {
      return fail(
        matching.length === 0
          ? `no repository of taskgraph.repositories has a project-regex matching the project "${project}"`
          : `several repositories match the project "${project}": ${matching.join(', ')}`,
        where,
        'with several repositories, exactly one project-regex must match the `project` parameter',
      );
    }
    current = matching[0]!;
  }

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
    const repo = entry(prefix);
    const missing = ['default-repository', 'default-ref', 'type'].find((key) => text(repo[key]) === undefined);
    if (missing !== undefined) {
      const problem = fail(
        `repository "${prefix}" has no ${missing}; repositories other than the one the graph is generated for (${current}) are cloned from their defaults`,
        [...where, prefix],
        `add \`${missing}:\` to taskgraph.repositories.${prefix}`,
      );
      if (!problem.ok) incomplete.set(prefix, problem.diagnostic);
      continue;
    }
    found.set(prefix, {
      prefix,
      name: String(repo.name),
      baseRepository: text(repo['default-repository'])!,
      headRepository: text(repo['default-repository'])!,
      headRef: text(repo['default-ref'])!,
      type: text(repo.type)!,
      path: '',
      ...(secret(prefix) !== undefined ? { sshSecretName: secret(prefix) } : {}),
    });
  }
  return { ok: true, repositories: found, incomplete };
}
