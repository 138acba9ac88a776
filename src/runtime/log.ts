// run-task's own lines: `[<kind> <UTC ISO-8601 time>] <message>`, e.g.
// `[cache 2026-01-01T00:00:00.000Z] cache /builds/worker/checkouts is empty; …`.
import { writeOut } from './stdout.js';

export type LineKind = 'cache' | 'volume' | 'chown' | 'setup' | 'vcs' | 'fetches';

export function logLine(kind: LineKind | string, message: string): void {
  writeOut(`[${kind} ${new Date().toISOString()}] ${message}\n`);
}

export function logLines(kind: LineKind | string, messages: readonly string[]): void {
  const time = new Date().toISOString();
  writeOut(messages.map((m) => `[${kind} ${time}] ${m}\n`).join(''));
}

/** Bytes printed line by line under a prefix (an audit log read from a cache). */
export function logBytes(kind: LineKind, indent: string, bytes: Buffer): void {
  const prefix = Buffer.from(`[${kind} ${new Date().toISOString()}] ${indent}`);
  const parts: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(10, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    parts.push(prefix, bytes.subarray(start, end));
    if (newline === -1) parts.push(Buffer.from('\n'));
    start = end;
  }
  writeOut(Buffer.concat(parts));
}
