// `run: {using: toolchain-script}` (taskgraph's run/toolchain.py): a script of
// taskcluster/scripts/toolchain/ run by run-task from the directory above the
// checkout, its artifact directory uploaded, and the task cached (cached_tasks)
// under a digest of the script and its resources as git tracks them, the
// artifact path, the in-tree image's name and the arguments. What is left is
// a run-task run, converted as any other.
import type { RunToolchainScript } from '../../../generated/run-toolchain-script.js';
import { isError, type Diagnostic } from '../../diagnostics.js';
import type { LoadedGraph, SourceMap } from '../../model.js';
import { isRecord } from '../../plain-data.js';
import { validateValue } from '../../validate/validate-schema.js';
import { artifactPrefix } from '../fetches.js';
import type { CacheRequest } from '../types.js';
import type { RunImplementation } from './layout.js';
import { normalizePath } from './layout.js';
import { shellQuote } from './shell-quote.js';
import { hashTrackedPaths, trackedFiles } from './tracked-files.js';

export const TOOLCHAIN_CACHE_TYPE = 'toolchains.v3';
const SCRIPTS_DIR = 'taskcluster/scripts/toolchain/';

export type ToolchainResult =
  /** `warnings`: keys of the run section that taskgraph ignores, and so does this. */
  | { ok: true; value: Record<string, unknown>; cache: CacheRequest; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * The task `value` with its toolchain run turned into a run-task run, the
 * worker and attributes a toolchain has, and what cached_tasks needs.
 */
export function toolchainToRunTask(
  graph: LoadedGraph,
  value: Record<string, unknown>,
  source: SourceMap,
  label: string,
  kind: string,
  implementation: RunImplementation,
): ToolchainResult {
  const problems = validateValue('run-toolchain-script', value.run, source, ['run']);
  if (problems.some(isError)) return { ok: false, diagnostics: problems };
  const run = value.run as RunToolchainScript;
  const docker = implementation === 'docker-worker';
  const attributes: Record<string, unknown> = { ...(isRecord(value.attributes) ? value.attributes : {}) };
  const worker: Record<string, unknown> = { ...(isRecord(value.worker) ? value.worker : {}), 'chain-of-trust': true };
  if (docker && worker['docker-image'] === undefined) worker['docker-image'] = { 'in-tree': 'toolchain-build' };

  // public/build is uploaded unless the task lists it itself (under whatever prefix it has).
  const artifacts: unknown[] = Array.isArray(worker.artifacts) ? [...worker.artifacts] : [];
  const env: Record<string, unknown> = { ...(isRecord(worker.env) ? worker.env : {}) };
  if (!artifacts.some((a) => isRecord(a) && a.name === 'public/build')) {
    const prefix = artifactPrefix(attributes);
    if (docker) {
      const path = `${run.workdir ?? '/builds/worker'}/artifacts/`;
      env.UPLOAD_DIR = path;
      artifacts.push({ type: 'directory', name: prefix, path });
    } else {
      artifacts.push({ type: 'directory', name: prefix, path: prefix });
    }
  }
  worker.artifacts = artifacts;
  env.MOZ_BUILD_DATE = String(graph.params.moz_build_date ?? '');
  env.MOZ_SCM_LEVEL = String(graph.params.level);
  worker.env = env;

  attributes['toolchain-artifact'] = run['toolchain-artifact'];
  if (run['toolchain-alias'] !== undefined) attributes['toolchain-alias'] = run['toolchain-alias'];
  if (run['toolchain-env'] !== undefined) attributes['toolchain-env'] = run['toolchain-env'];

  const script = normalizePath(SCRIPTS_DIR + run.script);
  const digest = inputsDigest(graph, [...(run.resources ?? []), script], source, run.resources?.length ?? 0);
  if (!digest.ok) return digest;
  const digestData = [digest.value, run['toolchain-artifact']];
  const image = isRecord(worker['docker-image']) ? worker['docker-image']['in-tree'] : undefined;
  // The image's name stands for its content (a change that matters renames it, as in taskgraph).
  if (typeof image === 'string') digestData.push(image);
  digestData.push(...(run.arguments ?? []));
  const cacheName = label.startsWith(`${kind}-`) ? label.slice(kind.length + 1) : label;

  const srcdir = implementation === 'generic-worker-windows' ? 'src' : 'vcs';
  const argv = [`${srcdir}/${script}`, ...(run.arguments ?? [])];
  const runTask: Record<string, unknown> = {
    using: 'run-task',
    command: docker ? argv : argv.length > 1 ? `${argv[0]} ${shellQuote(...argv.slice(1))}` : argv[0],
    cwd: '{checkout}/..',
  };
  if (script.endsWith('.ps1')) runTask['exec-with'] = 'powershell';
  for (const key of ['workdir', 'checkout', 'use-caches', 'run-as-root', 'run-task-command'] as const) {
    if (run[key] !== undefined) runTask[key] = run[key];
  }
  return {
    ok: true,
    value: { ...value, attributes, worker, run: runTask },
    cache: { type: TOOLCHAIN_CACHE_TYPE, name: cacheName, digestData },
    warnings: problems,
  };
}

/** `resourceCount`: patterns before it are run.resources[i], the last one is the script. */
function inputsDigest(
  graph: LoadedGraph,
  patterns: string[],
  source: SourceMap,
  resourceCount: number,
): { ok: true; value: string } | { ok: false; diagnostics: Diagnostic[] } {
  const repository = trackedFiles(graph.root);
  if ('error' in repository) {
    return {
      ok: false,
      diagnostics: [
        {
          severity: 'error',
          message: `toolchain-script hashes the files git tracks, but ${repository.error}`,
          path: ['run', 'script'],
          location: source.locate(['run', 'script']),
          hint: 'generate from a git checkout of the repository',
        },
      ],
    };
  }
  const { digest, unmatched } = hashTrackedPaths(repository, patterns);
  if (unmatched.length) {
    return {
      ok: false,
      diagnostics: unmatched.map((index) => {
        const path = index < resourceCount ? ['run', 'resources', index] : ['run', 'script'];
        return {
          severity: 'error' as const,
          message: `${patterns[index]} matches no file of the commit checked out in ${repository.top}`,
          path,
          location: source.locate(path),
          hint: index < resourceCount ? 'paths are relative to the repository root; commit new files' : `the script must be a committed file under ${SCRIPTS_DIR} of the repository`,
        };
      }),
    };
  }
  return { ok: true, value: digest };
}
