// SARIF 2.1.0, the format code-scanning services read to annotate pull
// requests. File URIs are relative to the working directory (uriBaseId
// SRCROOT, declared in originalUriBaseIds); files outside it get file: URIs.
// Suppressed findings are kept as results with an in-source suppression, as
// the format intends, so that a reviewer can still see them.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from '../../transform/diagnostics.js';
import { formatYamlPath } from '../../transform/diagnostics.js';
import type { Finding } from '../finding.js';
import type { LintResult } from '../lint.js';
import { ALL_RULES } from '../rules.js';
import { displayPath, isUrl } from './display-path.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

function artifactLocation(file: string, cwd: string): Record<string, unknown> {
  // A task of a graph file is located by its metadata.source, a URL already.
  if (isUrl(file)) return { uri: file };
  const shown = displayPath(file, cwd);
  if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href };
  // Each path segment percent-encoded, so that spaces and `#` stay a path.
  return { uri: shown.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function physicalLocation(location: Location, cwd: string): Record<string, unknown> {
  return {
    artifactLocation: artifactLocation(location.file, cwd),
    region: { startLine: location.line, startColumn: location.column },
  };
}

function messageText(f: Finding): string {
  const path = formatYamlPath(f.path);
  const extras = [f.expected ? `expected ${f.expected}` : '', f.hint ?? ''].filter(Boolean);
  return `${path ? `${path}: ` : ''}${f.message}${extras.length ? ` (${extras.join('; ')})` : ''}`;
}

function result(f: Finding, ruleIndex: Map<string, number>, cwd: string, suppressed: boolean): Record<string, unknown> {
  return {
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule) ?? -1,
    level: f.severity,
    message: { text: messageText(f) },
    locations: f.location ? [{ physicalLocation: physicalLocation(f.location, cwd) }] : [],
    ...(f.related.length
      ? {
          relatedLocations: f.related.map((r, id) => ({ id, physicalLocation: physicalLocation(r.location, cwd), message: { text: r.message } })),
        }
      : {}),
    ...(suppressed ? { suppressions: [{ kind: 'inSource', justification: `# tc-payload-lint: allow ${f.rule}` }] } : {}),
    properties: { configurations: f.configurations, ...(f.task ? { task: f.task } : {}) },
  };
}

export function toSarif(lintResult: LintResult, cwd: string, version: string): Record<string, unknown> {
  const ruleIndex = new Map(ALL_RULES.map((r, i) => [r.id, i] as const));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tc-payload lint',
            version,
            rules: ALL_RULES.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href } },
        ...(lintResult.notes?.length ? { properties: { notes: lintResult.notes } } : {}),
        results: [
          ...lintResult.findings.map((f) => result(f, ruleIndex, cwd, false)),
          ...lintResult.suppressed.map((f) => result(f, ruleIndex, cwd, true)),
        ],
      },
    ],
  };
}

export function formatSarif(lintResult: LintResult, cwd: string, version: string): string {
  return `${JSON.stringify(toSarif(lintResult, cwd, version), null, 2)}\n`;
}
