// Per-repository parameters and the repository a graph is generated for.
//
// taskgraph describes the repository the graph is generated for with the
// unprefixed parameters (head_repository, head_rev, ...), and clones every
// other repository of config.yml `taskgraph.repositories` from its
// `default-repository` and `default-ref`; its parameters schema has no
// per-repository keys, and projects that need them add `<prefix>_*` keys
// themselves (gecko's comm_head_repository, comm_head_rev, ...). Here those
// keys are built in, for the fields the run transform writes into the
// environment, so that a push can say which revision of another repository to
// build without editing config.yml.
//
// Shared by the loading stage (which checks the keys against config.yml) and
// the run transform (which reads their values).

/** The fields a repository's `<PREFIX>_*` variables are made of, as parameter suffixes. */
export const REPOSITORY_PARAMETER_FIELDS = [
  'base_repository',
  'head_repository',
  'head_ref',
  'head_rev',
  'repository_type',
] as const;

export type RepositoryParameterField = (typeof REPOSITORY_PARAMETER_FIELDS)[number];

export function repositoryParameterName(prefix: string, field: RepositoryParameterField): string {
  return `${prefix}_${field}`;
}

/**
 * `tools_head_rev` → `{prefix: 'tools', field: 'head_rev'}`; undefined for a
 * key that is not `<prefix>_<field>` with a non-empty prefix (so the unprefixed
 * `head_rev` itself is not one).
 */
export function parseRepositoryParameter(key: string): { prefix: string; field: RepositoryParameterField } | undefined {
  for (const field of REPOSITORY_PARAMETER_FIELDS) {
    const suffix = `_${field}`;
    if (key.length > suffix.length && key.endsWith(suffix)) return { prefix: key.slice(0, -suffix.length), field };
  }
  return undefined;
}

/** Every per-repository parameter name of these repositories, in field order per repository. */
export function repositoryParameterNames(prefixes: Iterable<string>): string[] {
  return [...prefixes].flatMap((prefix) => REPOSITORY_PARAMETER_FIELDS.map((field) => repositoryParameterName(prefix, field)));
}

export type GeneratedFor =
  | { ok: true; prefix: string }
  /** `matching`: the repositories whose project-regex matches (none, or several); `invalid`: a project-regex JavaScript cannot compile. */
  | { ok: false; matching: string[]; invalid?: { prefix: string; reason: string } };

/**
 * The repository the graph is generated for (taskgraph's current_prefix): the
 * only one, or the one whose `project-regex` matches the start of `project`.
 */
export function repositoryGeneratedFor(repositories: Readonly<Record<string, unknown>>, project: string): GeneratedFor {
  const prefixes = Object.keys(repositories);
  if (prefixes.length === 1) return { ok: true, prefix: prefixes[0]! };
  const matching: string[] = [];
  for (const prefix of prefixes) {
    const entry = repositories[prefix];
    const regex = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['project-regex'] : undefined;
    if (typeof regex !== 'string') continue;
    let compiled: RegExp;
    try {
      // Python's re.match: anchored at the start only.
      compiled = new RegExp(`^(?:${regex})`);
    } catch (error) {
      return { ok: false, matching, invalid: { prefix, reason: (error as Error).message } };
    }
    if (compiled.test(project)) matching.push(prefix);
  }
  return matching.length === 1 ? { ok: true, prefix: matching[0]! } : { ok: false, matching };
}
