// `lint`: generate the graph in every configuration (configurations.ts),
// collect what the generator refuses, run the graph and cache checks on what
// it produces, merge the findings seen in several configurations, and set
// aside the ones a comment in the YAML allows.
import { cacheNamePrefix } from '../contract.js';
import { DiagnosticsError } from '../transform/diagnostics.js';
import { checkoutParameters, describeCheckoutParameters } from '../transform/load/checkout-parameters.js';
import type { Limits } from '../transform/load/limits.js';
import type { LoadedGraph, LoadedTask } from '../transform/model.js';
import { generate } from '../transform/pipeline.js';
import { checkCacheMountPoints } from './checks/cache-mount-points.js';
import { checkCacheSharing } from './checks/cache-sharing.js';
import { checkCacheWithoutRunTask } from './checks/cache-without-run-task.js';
import { checkCacheRunTaskMixed } from './checks/cache-run-task-mixed.js';
import { checkCacheScopes } from './checks/cache-scopes.js';
import { checkCacheEnvMismatch } from './checks/cache-env-mismatch.js';
import { checkCheckoutOutsideCaches } from './checks/checkout-outside-caches.js';
import { checkDependencyCycles } from './checks/dependency-cycle.js';
import { checkSuppressionComments } from './checks/suppression-comments.js';
import { checkTaskclusterEnv } from './checks/taskcluster-env.js';
import { lintConfigurations, type LintConfiguration } from './configurations.js';
import { compareFindings, findingKey, type Finding } from './finding.js';
import { diagnosticToFinding } from './generator-findings.js';
import { SUPPRESSIBLE } from './rules.js';
import { SuppressionReader } from './suppression.js';
import { taskFacts, type TaskFacts } from './task-facts.js';

export interface LintOptions {
  root: string;
  /** Each --params file; none means taskgraph's default parameters. */
  paramsFiles?: readonly string[];
  /** `-p key=value`, applied to every configuration. */
  overrides?: Readonly<Record<string, string>>;
  /** As for generate: the run-task bundle whose digest names caches. */
  runtimeBundlePath?: string;
  /** The limits of the command line (docs/limits.md). */
  limits?: Partial<Limits>;
  /** Parameter defaults before taskgraph's: the checkout's, without --params (withCheckoutDefaults). */
  defaultParameters?: Record<string, unknown>;
}

export interface LintResult {
  configurations: string[];
  /** Sorted: errors first, then by place. */
  findings: Finding[];
  /** Findings a `# tc-payload-lint: allow` comment silenced. */
  suppressed: Finding[];
  /** What the user should know about how the run was made (e.g. where parameters came from). */
  notes: string[];
}

/** The checks that need the generated tasks of one configuration. */
export const TASK_CHECKS: readonly ((tasks: readonly TaskFacts[]) => Finding[])[] = [
  checkDependencyCycles,
  checkCacheMountPoints,
  checkCacheSharing,
  checkCheckoutOutsideCaches,
  checkCacheWithoutRunTask,
  checkCacheRunTaskMixed,
  checkCacheScopes,
  checkCacheEnvMismatch,
  checkTaskclusterEnv,
];

function loadedTasksByLabel(graph: LoadedGraph): Map<string, LoadedTask> {
  const byLabel = new Map<string, LoadedTask>();
  for (const kind of graph.kinds) {
    for (const t of kind.tasks) {
      const label = typeof t.value.label === 'string' ? t.value.label : `${kind.name}-${t.name}`;
      if (!byLabel.has(label)) byLabel.set(label, t);
    }
  }
  return byLabel;
}

export async function lintConfiguration(
  options: LintOptions,
  configuration: LintConfiguration,
  suppressions: SuppressionReader,
): Promise<{ findings: Finding[]; suppressed: Finding[] }> {
  let result;
  try {
    result = await generate({
      root: options.root,
      paramsFile: configuration.paramsFile,
      overrides: configuration.overrides,
      runtimeBundlePath: options.runtimeBundlePath,
      limits: options.limits,
      defaultParameters: options.defaultParameters,
      refuseCycles: false,
    });
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    return { findings: error.diagnostics.map(diagnosticToFinding), suppressed: [] };
  }
  const findings = [...result.warnings.map(diagnosticToFinding), ...checkSuppressionComments(result.graph)];
  const suppressed: Finding[] = [];
  const loaded = loadedTasksByLabel(result.graph);
  const namePrefix = `${cacheNamePrefix(result.graph.config['trust-domain'], result.graph.params.level)}-`;
  const facts = result.tasks.map((t) => taskFacts(t, loaded.get(t.label), namePrefix));
  const allowed = new Map<string, Set<string>>();
  for (const check of TASK_CHECKS) {
    for (const finding of check(facts)) {
      const task = finding.task === undefined ? undefined : loaded.get(finding.task);
      let allow = task && finding.task !== undefined ? allowed.get(finding.task) : undefined;
      if (task && !allow) {
        allow = suppressions.allowedFor(task);
        allowed.set(finding.task!, allow);
      }
      if (allow?.has(finding.rule) && SUPPRESSIBLE.has(finding.rule)) suppressed.push(finding);
      else findings.push(finding);
    }
  }
  return { findings, suppressed };
}

/** Findings equal in every respect but the configuration become one, listing all. */
function merge(into: Map<string, Finding>, findings: readonly Finding[], configuration: string): void {
  for (const f of findings) {
    const key = findingKey(f);
    const existing = into.get(key);
    if (existing) {
      if (!existing.configurations.includes(configuration)) existing.configurations.push(configuration);
    } else {
      into.set(key, { ...f, configurations: [configuration] });
    }
  }
}

/** One result per configuration, in configuration order, merged into the report. */
export function mergeConfigurationResults(
  configurations: readonly LintConfiguration[],
  results: readonly { findings: Finding[]; suppressed: Finding[] }[],
): LintResult {
  const findings = new Map<string, Finding>();
  const suppressed = new Map<string, Finding>();
  configurations.forEach((configuration, i) => {
    merge(findings, results[i]!.findings, configuration.name);
    merge(suppressed, results[i]!.suppressed, configuration.name);
  });
  return {
    configurations: configurations.map((c) => c.name),
    findings: [...findings.values()].sort(compareFindings),
    suppressed: [...suppressed.values()].sort(compareFindings),
    notes: [],
  };
}

/**
 * Without a parameters file, the repository parameters come from the checkout
 * that contains the root (as taskgraph does), and the report says which.
 */
export function withCheckoutDefaults(options: LintOptions): { options: LintOptions; notes: string[] } {
  if ((options.paramsFiles ?? []).length > 0 || options.defaultParameters) return { options, notes: [] };
  const found = checkoutParameters(options.root);
  return {
    options: { ...options, defaultParameters: found.values },
    notes: [describeCheckoutParameters(found, new Set(Object.keys(options.overrides ?? {})))],
  };
}

/** Lints every configuration in turn, in this thread (see parallel.ts for the parallel form). */
export async function lint(given: LintOptions): Promise<LintResult> {
  const { options, notes } = withCheckoutDefaults(given);
  const configurations = lintConfigurations(options.paramsFiles ?? [], options.overrides ?? {});
  const suppressions = new SuppressionReader();
  const results: { findings: Finding[]; suppressed: Finding[] }[] = [];
  for (const configuration of configurations) results.push(await lintConfiguration(options, configuration, suppressions));
  return { ...mergeConfigurationResults(configurations, results), notes };
}

/** 1 when the findings fail the run: any error, or with `strict` any warning. */
export function lintExitStatus(findings: readonly Finding[], strict: boolean): number {
  return findings.some((f) => f.severity === 'error' || strict) ? 1 : 0;
}
