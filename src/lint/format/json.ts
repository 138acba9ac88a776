// The machine-readable report (docs/lint.md, "JSON output"). Its shape is a
// promise: fields are only ever added, and `version` changes if one must go.
import { formatYamlPath, type Location } from '../../transform/diagnostics.js';
import type { Finding } from '../finding.js';
import type { LintResult } from '../lint.js';
import { displayPath } from './display-path.js';

export const JSON_REPORT_VERSION = 1;

export interface JsonLocation {
  file: string;
  line: number;
  column: number;
}

export interface JsonFinding {
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  location: JsonLocation | null;
  yamlPath: string | null;
  expected: string | null;
  hint: string | null;
  task: string | null;
  related: { location: JsonLocation; message: string }[];
  configurations: string[];
}

export interface JsonReport {
  version: number;
  configurations: string[];
  summary: { errors: number; warnings: number; suppressed: number };
  findings: JsonFinding[];
  suppressed: JsonFinding[];
  /** How the run was made, e.g. where the parameters came from without --params. */
  notes: string[];
}

function jsonLocation(location: Location, cwd: string): JsonLocation {
  return { file: displayPath(location.file, cwd), line: location.line, column: location.column };
}

function jsonFinding(f: Finding, cwd: string): JsonFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    location: f.location ? jsonLocation(f.location, cwd) : null,
    yamlPath: f.path ? formatYamlPath(f.path) : null,
    expected: f.expected ?? null,
    hint: f.hint ?? null,
    task: f.task ?? null,
    related: f.related.map((r) => ({ location: jsonLocation(r.location, cwd), message: r.message })),
    configurations: [...f.configurations],
  };
}

export function toJsonReport(result: LintResult, cwd: string): JsonReport {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return {
    version: JSON_REPORT_VERSION,
    configurations: [...result.configurations],
    summary: { errors, warnings: result.findings.length - errors, suppressed: result.suppressed.length },
    findings: result.findings.map((f) => jsonFinding(f, cwd)),
    suppressed: result.suppressed.map((f) => jsonFinding(f, cwd)),
    notes: [...(result.notes ?? [])],
  };
}

export function formatJson(result: LintResult, cwd: string): string {
  return `${JSON.stringify(toJsonReport(result, cwd), null, 2)}\n`;
}
