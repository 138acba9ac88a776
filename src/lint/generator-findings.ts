// The generator's own diagnostics as findings. The graph checks it already
// makes (duplicate labels, missing dependencies, unknown worker aliases,
// in-tree images without a Dockerfile, volumes declared twice) keep their own
// rule ids, recognised by their wording; everything else it refuses is an
// `invalid-task-definition`.
import type { Diagnostic } from '../transform/diagnostics.js';
import type { Finding } from './finding.js';
import { RULES, type Rule } from './rules.js';

const KNOWN: readonly [RegExp, Rule][] = [
  [/^duplicate label /, RULES.duplicateLabel],
  [/^task .* depends on ".*", which no task has as its label$/, RULES.missingDependency],
  [/^task .* runs in in-tree image .*, but no task .* builds it$/, RULES.missingDependency],
  [/^unknown worker alias /, RULES.unknownWorkerAlias],
  [/has no Dockerfile: /, RULES.imageWithoutDockerfile],
  [/ is declared both here and by a VOLUME line of /, RULES.volumeDeclaredTwice],
];

export function ruleOfDiagnostic(d: Diagnostic): Rule {
  if (d.severity === 'warning') return RULES.generatorWarning;
  return KNOWN.find(([pattern]) => pattern.test(d.message))?.[1] ?? RULES.invalidTaskDefinition;
}

export function diagnosticToFinding(d: Diagnostic): Finding {
  const rule = ruleOfDiagnostic(d);
  return {
    rule: rule.id,
    severity: d.severity,
    message: d.message,
    ...(d.location ? { location: d.location } : {}),
    ...(d.path ? { path: d.path } : {}),
    ...(d.expected ? { expected: d.expected } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
    related: [],
    configurations: [],
  };
}
