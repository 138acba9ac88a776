// The VOLUME lines of a Dockerfile. run-task must know every volume of the
// image (TASKCLUSTER_VOLUMES) so that it can check they are empty and give them
// to the task's user; volumes declared by the image itself come from here.

/**
 * Logical Dockerfile lines: continuation lines (`\` at the end) joined, and
 * comment lines dropped, including comments inside a continued instruction
 * (Docker ignores those too).
 */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let pending: string | undefined;
  let start = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) continue;
    if (pending === undefined) {
      if (trimmed === '') continue;
      start = i + 1;
    }
    const continued = /\\\s*$/.test(raw);
    const body = continued ? raw.replace(/\\\s*$/, '') : raw;
    pending = pending === undefined ? body : `${pending} ${body.trim()}`;
    if (!continued) {
      out.push({ text: pending.trim(), line: start });
      pending = undefined;
    }
  }
  if (pending !== undefined && pending.trim() !== '') out.push({ text: pending.trim(), line: start });
  return out;
}

export class DockerfileSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Every path that a `VOLUME` instruction declares, in both the JSON-array form
 * (`VOLUME ["/a", "/b"]`) and the plain form (`VOLUME /a /b`), sorted and
 * without duplicates. Throws DockerfileSyntaxError (with the line) for a
 * malformed JSON array.
 */
export function parseDockerfileVolumes(text: string): string[] {
  const volumes = new Set<string>();
  for (const { text: line, line: lineNo } of logicalLines(text)) {
    const match = /^volume(?:\s+(.*))?$/i.exec(line);
    if (!match) continue;
    const args = (match[1] ?? '').trim();
    if (args.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(args);
      } catch {
        throw new DockerfileSyntaxError(`VOLUME ${args} is not a valid JSON array of paths`, lineNo);
      }
      if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
        throw new DockerfileSyntaxError(`VOLUME ${args} must be a JSON array of strings`, lineNo);
      }
      for (const p of parsed as string[]) if (p.trim() !== '') volumes.add(p.trim());
    } else {
      for (const p of args.split(/\s+/)) if (p !== '') volumes.add(p);
    }
  }
  return [...volumes].sort();
}
