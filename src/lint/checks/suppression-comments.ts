// A typo in a suppression comment would silence nothing, silently; so would
// naming a rule that cannot be silenced. Both are reported where the comment
// is. Files are scanned as text (cheap); positions need no YAML re-parse.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LoadedGraph } from '../../transform/model.js';
import type { Finding } from '../finding.js';
import { ALL_RULES, RULES, SUPPRESSIBLE } from '../rules.js';
import { MARKER } from '../suppression.js';

function taskFiles(graph: LoadedGraph): string[] {
  const files: string[] = [];
  for (const kind of graph.kinds) {
    files.push(kind.file);
    const from = kind.config['tasks-from'];
    if (Array.isArray(from)) for (const f of from) if (typeof f === 'string') files.push(resolve(kind.dir, f));
  }
  return [...new Set(files)];
}

export function checkSuppressionComments(graph: LoadedGraph): Finding[] {
  const known = new Set(ALL_RULES.map((r) => r.id));
  const findings: Finding[] = [];
  for (const file of taskFiles(graph)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('tc-payload-lint')) continue;
    text.split(/\r?\n/).forEach((line, index) => {
      const m = MARKER.exec(line);
      if (!m) return;
      const column = m.index + 1;
      for (const id of m[1]!.split(/[\s,]+/).filter(Boolean)) {
        if (SUPPRESSIBLE.has(id)) continue;
        const silenceable = [...SUPPRESSIBLE].sort().join(', ');
        findings.push({
          rule: RULES.suppressionUnknownRule.id,
          severity: RULES.suppressionUnknownRule.severity,
          message: known.has(id)
            ? `rule ${id} cannot be silenced: the generator refuses the tree with it`
            : `no rule is called ${id}, so this comment silences nothing`,
          location: { file, line: index + 1, column },
          expected: `one of: ${silenceable}`,
          related: [],
          configurations: [],
        });
      }
    });
  }
  return findings;
}
