// Every problem found in the user's input is a Diagnostic: where it is, what is
// wrong and what was expected. Stages collect them instead of throwing on the
// first, so that one run reports everything; the CLI prints them and exits 1.

/** A path inside a YAML document: map keys and list indexes, outermost first. */
export type YamlPath = readonly (string | number)[];

export interface Location {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Where in the user's files; absent only when no file is to blame. */
  location?: Location;
  /** Path inside the YAML document (or the task description) the message is about. */
  path?: YamlPath;
  /** What was expected, in the user's terms: `one of: a, b`, `an integer`. */
  expected?: string;
  /** A suggestion, such as the nearest allowed key for an unknown one. */
  hint?: string;
}

export const isError = (d: Diagnostic): boolean => d.severity === 'error';

/** Thrown when a stage cannot go on; carries every diagnostic found so far. */
export class DiagnosticsError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticsError';
    this.diagnostics = diagnostics;
  }
}

/** `a.b[0].c`; keys that are not plain identifiers are quoted; '' for the document itself. */
export function formatYamlPath(path: YamlPath | undefined): string {
  let out = '';
  for (const part of path ?? []) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function formatLocation(location: Location | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : 'an unknown place';
}

/**
 * `file:line:column: <yaml path>: <message> (expected …; did you mean …?)`;
 * the location and the path are left out when there is none (a missing file,
 * an error about a whole document).
 */
export function formatDiagnostic(d: Diagnostic): string {
  const extras: string[] = [];
  if (d.expected) extras.push(`expected ${d.expected}`);
  if (d.hint) extras.push(d.hint);
  const tail = extras.length ? ` (${extras.join('; ')})` : '';
  const level = d.severity === 'warning' ? 'warning: ' : '';
  const where = [d.location ? formatLocation(d.location) : '', formatYamlPath(d.path)].filter(Boolean);
  return `${where.map((w) => `${w}: `).join('')}${level}${d.message}${tail}`;
}

/**
 * The same problem found once per task (a mistake in task-defaults, which every
 * task of the kind inherits) is one line, saying how many tasks share it.
 */
export function collapseRepeated(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, { diagnostic: Diagnostic; count: number }>();
  for (const d of diagnostics) {
    const key = formatDiagnostic(d);
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { diagnostic: d, count: 1 });
  }
  return [...seen.values()].map(({ diagnostic, count }) =>
    count === 1 ? diagnostic : { ...diagnostic, message: `${diagnostic.message} (the same in ${count} tasks)` },
  );
}
