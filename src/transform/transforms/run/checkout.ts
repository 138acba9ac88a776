// Which repositories a task checks out (`run.checkout`) and what that adds to
// the task: run-task's `--<prefix>-checkout` arguments, the environment
// run-task and the task read the repositories from, and the scopes of their
// SSH secrets (taskgraph's support_vcs_checkout).
import type { Diagnostic, YamlPath } from '../../diagnostics.js';
import type { LoadedGraph, SourceMap } from '../../model.js';
import type { RunLayout } from './layout.js';
import { joinPath } from './layout.js';
import type { RepositoryConfig } from './repositories.js';
import { repositoryConfigs } from './repositories.js';
import type { FailedStep } from './report-once.js';
import { isRecord } from '../../plain-data.js';

export type CheckoutSelection =
  | { ok: true; repositories: RepositoryConfig[] }
  /** `config`: the problem in config.yml behind the task's error, shared by every task. */
  | FailedStep;

/** True when `run.checkout` asks for a checkout (`true` or a non-empty map), as taskgraph reads it. */
export function wantsCheckout(checkout: unknown): boolean {
  return checkout === true || (isRecord(checkout) && Object.keys(checkout).length > 0);
}

/**
 * The repositories to check out, with their overrides applied; empty for no
 * checkout. `runPath` is where `run` sits in the task (for locations).
 */
export function selectCheckouts(graph: LoadedGraph, checkout: unknown, source: SourceMap, runPath: YamlPath): CheckoutSelection {
  if (!wantsCheckout(checkout)) return { ok: true, repositories: [] };
  const at = [...runPath, 'checkout'];
  const configured = repositoryConfigs(graph);
  if (!configured.ok) {
    // Point at the task too: the config is only wrong for tasks that check out.
    const why = checkout === true ? 'run.checkout is true, its default' : `run.checkout names ${Object.keys(checkout as object).join(', ')}`;
    return {
      ok: false,
      config: configured.diagnostic,
      diagnostics: [
        {
          severity: 'error',
          message: `this task checks out (${why}), but config.yml's repositories are not usable (see the error about config.yml)`,
          path: at,
          location: source.locate(at),
          hint: 'fix taskgraph.repositories in config.yml, or set `run.checkout: false`',
        },
      ],
    };
  }
  const all = configured.repositories;
  const prefixes = [...all.keys(), ...configured.incomplete.keys()];
  const unusable = (prefix: string, config: Diagnostic): CheckoutSelection => ({
    ok: false,
    config,
    diagnostics: [
      {
        severity: 'error',
        message: `this task checks out "${prefix}", which config.yml does not say how to clone (see the error about config.yml)`,
        path: at,
        location: source.locate(at),
        hint: `complete taskgraph.repositories.${prefix} in config.yml, or leave ${prefix} out of run.checkout`,
      },
    ],
  });
  if (checkout === true) {
    if (prefixes.length > 1) {
      return {
        ok: false,
        diagnostics: [
          {
            severity: 'error',
            message: `config.yml defines several repositories (${prefixes.join(', ')}), so the checkout must say which to clone`,
            path: at,
            location: source.locate(at),
            expected: 'a map of repository prefix → overrides, e.g. `checkout: {<prefix>: {}, <other>: {path: <dir>}}`',
          },
        ],
      };
    }
    return { ok: true, repositories: [...all.values()] };
  }
  const selected: RepositoryConfig[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [prefix, overrides] of Object.entries(checkout as Record<string, unknown>)) {
    const problem = configured.incomplete.get(prefix);
    if (problem) return unusable(prefix, problem);
    const repo = all.get(prefix);
    if (!repo) {
      diagnostics.push({
        severity: 'error',
        message: `"${prefix}" is not a repository of config.yml taskgraph.repositories`,
        path: [...at, prefix],
        location: source.locate([...at, prefix]),
        expected: `one of: ${prefixes.join(', ')}`,
      });
      continue;
    }
    selected.push(withOverrides(repo, isRecord(overrides) ? overrides : {}));
  }
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, repositories: selected };
}

export interface CheckoutSetup {
  /** `--<prefix>-checkout=<vcs path>/<path>`, one per repository. */
  args: string[];
  env: Record<string, string>;
  scopes: string[];
}

/** What checking out `repositories` adds to the task; nothing when there are none. */
export function checkoutSetup(repositories: readonly RepositoryConfig[], layout: RunLayout): CheckoutSetup {
  if (repositories.length === 0) return { args: [], env: {}, scopes: [] };
  const env: Record<string, string> = {
    HG_STORE_PATH: layout.hgStorePath,
    // Python's json.dumps spacing, so that the value is byte-identical to taskgraph's.
    // Compact, as taskgraph's JSON helper writes it.
    REPOSITORIES: JSON.stringify(Object.fromEntries(repositories.map((r) => [r.prefix, r.name]))),
    VCS_PATH: layout.vcsPath,
  };
  const scopes: string[] = [];
  for (const repo of repositories) {
    const prefix = repo.prefix.toUpperCase();
    const values: Record<string, string | undefined> = {
      BASE_REPOSITORY: repo.baseRepository,
      HEAD_REPOSITORY: repo.headRepository,
      HEAD_REV: repo.headRev,
      HEAD_REF: repo.headRef,
      REPOSITORY_TYPE: repo.type,
      SSH_SECRET_NAME: repo.sshSecretName,
    };
    for (const [key, value] of Object.entries(values)) if (value !== undefined) env[`${prefix}_${key}`] = value;
    if (repo.sshSecretName) scopes.push(`secrets:get:${repo.sshSecretName}`);
  }
  const args = repositories.map((r) => `--${r.prefix}-checkout=${joinPath(layout.vcsPath, r.path)}`);
  return { args, env, scopes };
}


/** taskgraph's field names in a `run.checkout` entry → ours. */
const OVERRIDES: Readonly<Record<string, keyof RepositoryConfig>> = {
  path: 'path',
  name: 'name',
  base_repository: 'baseRepository',
  head_repository: 'headRepository',
  head_ref: 'headRef',
  head_rev: 'headRev',
  type: 'type',
  ssh_secret_name: 'sshSecretName',
};

/** The repository as configured, with a task's overrides (already checked against the run schema). */
function withOverrides(repo: RepositoryConfig, overrides: Record<string, unknown>): RepositoryConfig {
  const out: RepositoryConfig = { ...repo };
  for (const [key, value] of Object.entries(overrides)) {
    const field = OVERRIDES[key];
    if (field && typeof value === 'string') (out as unknown as Record<string, string>)[field] = value;
  }
  return out;
}
