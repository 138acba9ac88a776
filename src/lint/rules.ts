// Every rule lint knows, with its severity. Errors fail the run; warnings fail
// it only with --strict. Ids are part of the JSON/SARIF output and of the
// suppression comments, so they never change once published.
import type { Severity } from '../transform/diagnostics.js';

export interface Rule {
  id: string;
  severity: Severity;
  /** One line, for SARIF's rule list and the docs. */
  summary: string;
}

export const RULES = {
  // Problems the generator itself reports (each is also an error of `generate`).
  invalidTaskDefinition: { id: 'invalid-task-definition', severity: 'error', summary: 'A task definition, kind, config or parameter the generator refuses.' },
  duplicateLabel: { id: 'duplicate-label', severity: 'error', summary: 'Two tasks have the same label.' },
  missingDependency: { id: 'missing-dependency', severity: 'error', summary: 'A dependency names a label that no task has.' },
  unknownWorkerAlias: { id: 'unknown-worker-alias', severity: 'error', summary: 'worker-type names an alias that config.yml does not define.' },
  imageWithoutDockerfile: { id: 'image-without-dockerfile', severity: 'error', summary: 'An in-tree image has no Dockerfile under docker/.' },
  volumeDeclaredTwice: { id: 'volume-declared-twice', severity: 'error', summary: "A volume is declared both in worker.volumes and by a VOLUME line of the image's Dockerfile." },
  generatorWarning: { id: 'generator-warning', severity: 'warning', summary: 'A warning of the generator.' },
  // Graph checks of lint's own.
  dependencyCycle: { id: 'dependency-cycle', severity: 'error', summary: 'Tasks depend on each other in a cycle.' },
  // Cache checks.
  cacheMountPointReused: { id: 'cache-mount-point-reused', severity: 'error', summary: 'Two caches of one task have the same mount point.' },
  cacheNested: { id: 'cache-nested', severity: 'error', summary: 'A cache is mounted inside another cache or a volume of the same task.' },
  cacheMountPointsDiffer: { id: 'cache-mount-points-differ', severity: 'warning', summary: 'One cache is mounted at different paths by different tasks.' },
  cacheSharedByDifferentUsers: { id: 'cache-shared-by-different-users', severity: 'error', summary: 'One cache is used by tasks that run as different users, a certain requirements mismatch (exit 72) at run time.' },
  checkoutOutsideCaches: { id: 'checkout-outside-caches', severity: 'warning', summary: 'A checkout path is outside every cache and volume of its task.' },
  cacheWithoutRunTask: { id: 'cache-without-run-task', severity: 'warning', summary: 'A task mounts caches but its command is not run-task, so nothing validates or records them.' },
  cacheRunTaskMixed: { id: 'cache-shared-with-and-without-run-task', severity: 'error', summary: 'One cache is used by tasks whose command is run-task and by tasks whose command is not; run-task then refuses the cache (exit 72).' },
  cacheSharedAcrossLevels: { id: 'cache-shared-across-levels', severity: 'error', summary: 'One cache name is used by tasks of different trust levels, or a cache named for one level by a task of another.' },
  cacheScopeMissing: { id: 'cache-scope-missing', severity: 'error', summary: 'A task mounts a cache without holding its scope, so the worker refuses the task.' },
  cacheEnvMismatch: { id: 'cache-env-mismatch', severity: 'error', summary: 'TASKCLUSTER_CACHES does not list exactly the mount points of the task\'s caches.' },
  cacheScopeUnused: { id: 'cache-scope-unused', severity: 'warning', summary: 'A task has a cache scope for a cache it does not mount.' },
  // Graph files (lint --graph).
  invalidGraphFile: { id: 'invalid-graph-file', severity: 'error', summary: 'A --graph file that is not a task graph in a form lint reads.' },
  suppressionUnknownRule: { id: 'suppression-unknown-rule', severity: 'warning', summary: 'A tc-payload-lint: allow comment names a rule that does not exist or cannot be silenced.' },
  taskclusterEnvByHand: { id: 'taskcluster-env-set-by-hand', severity: 'error', summary: 'A TASKCLUSTER_* variable is set by hand in a task\'s env.' },
} as const satisfies Record<string, Rule>;

export const ALL_RULES: readonly Rule[] = Object.values(RULES);

/** Rules about one task that a `# tc-payload-lint: allow <rule>` comment may silence. */
export const SUPPRESSIBLE = new Set<string>([
  RULES.dependencyCycle.id,
  RULES.cacheMountPointReused.id,
  RULES.cacheNested.id,
  RULES.cacheMountPointsDiffer.id,
  RULES.cacheSharedByDifferentUsers.id,
  RULES.checkoutOutsideCaches.id,
  RULES.cacheWithoutRunTask.id,
  RULES.taskclusterEnvByHand.id,
  RULES.cacheRunTaskMixed.id,
  RULES.cacheSharedAcrossLevels.id,
  RULES.cacheScopeMissing.id,
  RULES.cacheScopeUnused.id,
  RULES.cacheEnvMismatch.id,
]);
