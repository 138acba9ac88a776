// What lint reports: a Diagnostic with a stable rule id, the task it is about
// (the unit a suppression applies to), the other places that explain it, and
// the generate configurations (levels, parameter files) in which it was seen.
import type { Diagnostic, Location } from '../transform/diagnostics.js';

export interface RelatedLocation {
  location: Location;
  message: string;
}

export interface Finding extends Diagnostic {
  /** Stable id, e.g. `cache-shared-by-different-users`; see rules.ts. */
  rule: string;
  /** Label of the task the finding is about, when it is about one task. */
  task?: string;
  related: RelatedLocation[];
  /** Names of the configurations (e.g. `level 1`, `params.yml`) that show it. */
  configurations: string[];
}

/** Identity of a finding across configurations: same rule, place and words. */
export function findingKey(f: Finding): string {
  const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '';
  return `${f.rule}\u0000${at}\u0000${f.task ?? ''}\u0000${f.message}`;
}

/** Errors first, then by file, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const d = (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  if (d !== 0) return d;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** A related place, or none when it cannot be located. */
export function relatedAt(location: Location | undefined, message: string): RelatedLocation[] {
  return location ? [{ location, message }] : [];
}
