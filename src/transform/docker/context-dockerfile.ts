// The Dockerfile of a docker context as taskgraph rewrites it before it goes
// into the context archive: `# %ARG NAME` lines are dropped and `$NAME` in the
// lines after them replaced by the image's args; `# %include PATH` lines stay
// and name files of the repository to add to the context; `# %include-run-task`
// adds the runtime and the COPY line that installs it. Everything taskgraph
// does to the text (newlines, which lines count, how names match) changes the
// archive and so the digest, so each rule below follows taskgraph's.

export interface IncludeDirective {
  /** The path as written, after %ARG substitution, surrounding whitespace removed. */
  path: string;
  /** 1-based line and column of the path in the Dockerfile. */
  line: number;
  column: number;
}

export interface ContextDockerfile {
  /** The text that goes into the archive as `Dockerfile`. */
  text: string;
  includes: IncludeDirective[];
  /** `# %include-run-task` was seen: the context gets this project's runtime under run-task/. */
  includesRunTask: boolean;
}

/** Where `# %include-run-task` puts the runtime in the context, and the lines that install it (taskgraph's places for its own). */
export const RUN_TASK_CONTEXT_PATH = 'run-task/run-task';
export const FETCH_CONTENT_CONTEXT_PATH = 'run-task/fetch-content';
const RUN_TASK_SNIPPET = [
  `COPY ${RUN_TASK_CONTEXT_PATH} /usr/local/bin/run-task\n`,
  `COPY ${FETCH_CONTENT_CONTEXT_PATH} /usr/local/bin/fetch-content\n`,
];

export class DockerfileDirectiveError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly expected?: string,
  ) {
    super(message);
    this.name = 'DockerfileDirectiveError';
  }
}

const ARG_PREFIX = '# %ARG';
const INCLUDE_PREFIX = '# %include';
/** taskgraph takes what follows the prefix and one more character (normally a space). */
const ARG_NAME_START = ARG_PREFIX.length + 1;
const INCLUDE_PATH_START = INCLUDE_PREFIX.length + 1;

// Python's str.strip() and regex \w, which taskgraph's parsing relies on; the
// JavaScript equivalents (trim(), \w) disagree on some characters.
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, 'u');
const PY_TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, 'u');
const PY_WORD_CHAR = /^[\p{L}\p{N}_]$/u;

function pythonStrip(text: string): { text: string; leading: number } {
  const leading = PY_LEADING_SPACE.exec(text)?.[0].length ?? 0;
  return { text: text.slice(leading).replace(PY_TRAILING_SPACE, ''), leading };
}

const isWordChar = (ch: string | undefined) => ch !== undefined && PY_WORD_CHAR.test(ch);

/** taskgraph compiles `\$NAME\b` from the name as written; names that would be regular expressions are refused. */
const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

/** Every `$name` followed by a word boundary (in Python's sense), replaced by `value`. */
function substitute(line: string, name: string, value: string): string {
  const needle = `$${name}`;
  const lastOfName = [...needle].at(-1);
  let out = '';
  let from = 0;
  for (let at = line.indexOf(needle); at !== -1; at = line.indexOf(needle, at + 1)) {
    if (at < from) continue;
    const next = [...line.slice(at + needle.length, at + needle.length + 2)][0];
    if (isWordChar(lastOfName) === isWordChar(next)) continue;
    out += line.slice(from, at) + value;
    from = at + needle.length;
  }
  return out + line.slice(from);
}

/**
 * Lines as Python's text mode reads them: `\r\n` and lone `\r` become `\n`,
 * and every line keeps its newline.
 */
function pythonLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Reads the directives of `text` (already decoded) with the image's `args`. */
export function rewriteContextDockerfile(text: string, args: Readonly<Record<string, string>>): ContextDockerfile {
  const kept: string[] = [];
  const includes: IncludeDirective[] = [];
  const replacements: [string, string][] = [];
  let includesRunTask = false;
  pythonLines(text).forEach((raw, index) => {
    const lineNo = index + 1;
    if (raw.startsWith(ARG_PREFIX)) {
      const { text: name, leading } = pythonStrip(raw.slice(ARG_NAME_START));
      const column = ARG_NAME_START + leading + 1;
      if (name === '' || REGEX_SYNTAX.test(name)) {
        throw new DockerfileDirectiveError(`# %ARG needs a plain argument name, not "${name}"`, lineNo, column, 'a name such as PYTHON_VERSION');
      }
      if (!Object.hasOwn(args, name)) {
        throw new DockerfileDirectiveError(
          `# %ARG ${name}: the image has no argument ${name}`,
          lineNo,
          column,
          `args: {${name}: …} in the image's entry of the docker-image kind`,
        );
      }
      const value = args[name]!;
      if (value.includes('\\')) {
        // Python's re.sub reads backslashes in the replacement as escapes; copying that is not worth it.
        throw new DockerfileDirectiveError(
          `# %ARG ${name}: its value ${JSON.stringify(value)} contains a backslash, which taskgraph's substitution treats as an escape; not supported`,
          lineNo,
          column,
          'an argument value without backslashes',
        );
      }
      replacements.push([name, value]);
      return;
    }
    let line = raw;
    for (const [name, value] of replacements) line = substitute(line, name, value);
    kept.push(line);
    if (!line.startsWith(INCLUDE_PREFIX)) return;
    if (pythonStrip(line).text === '# %include-run-task') {
      // taskgraph adds its own scripts here; this project adds its runtime: run-task and fetch-content.
      kept.push(...RUN_TASK_SNIPPET);
      includesRunTask = true;
      return;
    }
    const { text: path, leading } = pythonStrip(line.slice(INCLUDE_PATH_START));
    const column = INCLUDE_PATH_START + leading + 1;
    if (path === '') {
      // taskgraph would include the whole repository here; that is never what was meant.
      throw new DockerfileDirectiveError('# %include without a path', lineNo, column, 'a path relative to the repository root');
    }
    includes.push({ path, line: lineNo, column });
  });
  return { text: kept.join(''), includes, includesRunTask };
}
