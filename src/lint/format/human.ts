// The report for people: `file:line:column: severity rule: message`, the
// source line with a caret under the column, then what was expected, the hint,
// the related places and the configurations that show it. Colour only when the
// caller says the output is a terminal.
import { readFileSync } from 'node:fs';
import { formatYamlPath, type Location } from '../../transform/diagnostics.js';
import type { Finding } from '../finding.js';
import type { LintResult } from '../lint.js';
import { displayPath } from './display-path.js';

export interface HumanOptions {
  colour: boolean;
  cwd: string;
}

const paint = (on: boolean, code: string) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

class SourceLines {
  private readonly files = new Map<string, string[] | undefined>();
  line(file: string, line: number): string | undefined {
    if (!this.files.has(file)) {
      try {
        this.files.set(file, readFileSync(file, 'utf8').split(/\r?\n/));
      } catch {
        this.files.set(file, undefined);
      }
    }
    return this.files.get(file)?.[line - 1];
  }
}

function excerpt(location: Location, sources: SourceLines, colour: boolean): string[] {
  const text = sources.line(location.file, location.line);
  if (text === undefined) return [];
  const number = String(location.line);
  const gutter = ' '.repeat(number.length);
  // One line at most, cut to a window around the column: a generated file can
  // hold megabytes on one line.
  const column = Math.max(0, location.column - 1);
  const start = text.length > EXCERPT_WIDTH ? Math.max(0, Math.min(column - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH)) : 0;
  const end = Math.min(text.length, start + EXCERPT_WIDTH);
  const lead = start > 0 ? '…' : '';
  const shown = `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  // Tabs stay tabs under the caret so that it lines up in any tab width.
  const before = (lead ? ' ' : '') + text.slice(start, column).replace(/[^\t]/g, ' ');
  return [`  ${number} | ${shown}`, `  ${gutter} | ${before}${paint(colour, '1;32')('^')}`];
}

/** Characters of a source line shown under a finding. */
export const EXCERPT_WIDTH = 120;

function where(location: Location | undefined, cwd: string): string {
  return location ? `${displayPath(location.file, cwd)}:${location.line}:${location.column}` : 'tc-payload';
}

export function formatFinding(f: Finding, options: HumanOptions, sources = new SourceLines()): string {
  const { colour, cwd } = options;
  const severity = f.severity === 'error' ? paint(colour, '1;31')('error') : paint(colour, '1;33')('warning');
  const path = formatYamlPath(f.path);
  const lines = [`${paint(colour, '1')(where(f.location, cwd))}: ${severity} ${paint(colour, '2')(f.rule)}: ${path ? `${path}: ` : ''}${f.message}`];
  if (f.location) lines.push(...excerpt(f.location, sources, colour));
  if (f.expected) lines.push(`  = expected ${f.expected}`);
  if (f.hint) lines.push(`  = hint: ${f.hint}`);
  for (const r of f.related) lines.push(`  = see ${where(r.location, cwd)}: ${r.message}`);
  if (f.configurations.length) lines.push(`  = in: ${f.configurations.join('; ')}`);
  return lines.join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatHuman(result: LintResult, options: HumanOptions): string {
  const sources = new SourceLines();
  const blocks = result.findings.map((f) => formatFinding(f, options, sources));
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const suppressed = result.suppressed.length ? `, ${result.suppressed.length} suppressed` : '';
  const summary = `tc-payload lint: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${suppressed} (${result.configurations.length ? `checked ${result.configurations.join('; ')}` : 'nothing was checked'})`;
  const notes = (result.notes ?? []).map((n) => `note: ${n}`);
  return [...blocks, ...notes, summary].join('\n\n') + '\n';
}
