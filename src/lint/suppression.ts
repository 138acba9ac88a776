// Silencing one finding on one task, in the YAML next to the task:
//
//   flake8:  # tc-payload-lint: allow cache-without-run-task
//
// on the line of the task's name, or on comment lines directly above it. Only
// the rules named are silenced, only for that task; nothing broader exists on
// purpose (a tree-wide switch would hide the next real conflict).
import { readFileSync } from 'node:fs';
import { locateKey } from '../transform/load/source-map.js';
import type { LoadedTask } from '../transform/model.js';

export const MARKER = /#\s*tc-payload-lint:\s*allow\s+([A-Za-z0-9_-]+(?:\s*[, ]\s*[A-Za-z0-9_-]+)*)/;

export class SuppressionReader {
  private readonly lines = new Map<string, string[]>();

  /** The rule ids that comments at `task` allow. */
  allowedFor(task: LoadedTask): Set<string> {
    const at = locateKey(task.source, []);
    const allowed = new Set<string>();
    if (!at) return allowed;
    const lines = this.read(at.file);
    const collect = (line: string | undefined): boolean => {
      const m = line === undefined ? null : MARKER.exec(line);
      if (m) for (const id of m[1]!.split(/[\s,]+/)) if (id) allowed.add(id);
      return m !== null;
    };
    collect(lines[at.line - 1]);
    for (let i = at.line - 2; i >= 0 && /^\s*#/.test(lines[i]!); i--) collect(lines[i]);
    return allowed;
  }

  private read(file: string): string[] {
    let lines = this.lines.get(file);
    if (!lines) {
      try {
        lines = readFileSync(file, 'utf8').split(/\r?\n/);
      } catch {
        lines = [];
      }
      this.lines.set(file, lines);
    }
    return lines;
  }
}
