// Which files make up an image's docker context, under which names and modes,
// as taskgraph assembles it: every file below docker/<definition>/ under its
// path there; each `# %include PATH` of the Dockerfile, a file or every file
// below a directory, taken from the repository root and named
// `topsrcdir/PATH[/…]`; and the rewritten Dockerfile, mode 0644. Members are
// sorted by name (Python's string order), so the order of a directory listing
// never matters.
//
// Where taskgraph would fail with a traceback, or quietly take something that
// makes the digest depend on the machine (a link out of the repository, an
// unreadable directory), this module reports what and where instead.
import { existsSync, readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DockerfileDirectiveError, FETCH_CONTENT_CONTEXT_PATH, RUN_TASK_CONTEXT_PATH, rewriteContextDockerfile, type IncludeDirective } from './context-dockerfile.js';
import { fetchContentBundlePath, runtimeBundlePath } from '../package-paths.js';
import type { TarMember } from './gnu-tar.js';

export interface ContextMember extends TarMember {
  /** Where the content comes from: a file, or (for the Dockerfile) the rewritten text. */
  source: string | Buffer;
}

export interface ContextProblem {
  message: string;
  /** The Dockerfile line at fault, when there is one. */
  at?: { file: string; line: number; column: number };
  expected?: string;
}

export class ContextError extends Error {
  constructor(readonly problem: ContextProblem) {
    super(problem.message);
    this.name = 'ContextError';
  }
}

export interface ImageContextSource {
  /** The taskgraph root (`--root`); the repository root is the directory that holds it. */
  root: string;
  definition: string;
  args: Readonly<Record<string, string>>;
}

export interface CollectedContext {
  members: ContextMember[];
  /** The Dockerfile as read from disk, before any rewriting. */
  dockerfileText: string;
}

const SETID_BITS = 0o6000;
/** taskgraph's own mode for the Dockerfile it rewrites. */
const DOCKERFILE_MODE = 0o644;

/** The repository root, where `# %include` paths start: the parent of the taskgraph root, as in taskgraph. */
export function repositoryRoot(root: string): string {
  return dirname(resolve(root));
}

/** Python's os.path.join of relative parts: taskgraph names included files with it, verbatim. */
function pythonJoin(...parts: string[]): string {
  return parts.reduce((path, part) => (path === '' || path.endsWith('/') ? path + part : `${path}/${part}`));
}

function fileMember(name: string, path: string, stats: Stats): ContextMember {
  if (!stats.isFile()) throw new ContextError({ message: `${path} is not a regular file; a docker context holds only regular files` });
  if (stats.mode & SETID_BITS) {
    throw new ContextError({
      message: `${path} has the setuid or setgid bit; taskgraph refuses such files in a context (they would be root's when unpacked)`,
      expected: 'a file without setuid/setgid (chmod ug-s)',
    });
  }
  return { name, mode: stats.mode & 0o7777, source: path, content: () => readFileSync(path) };
}

/** A file of this project's runtime (run-task, fetch-content), executable, as `# %include-run-task` adds it. */
function runtimeMember(dockerfile: string, name: string, bundle: string): ContextMember {
  if (!existsSync(bundle)) {
    throw new ContextError({
      message: `${dockerfile} has # %include-run-task, but ${bundle} has not been built`,
      expected: 'npm run build in the tc-payload package',
    });
  }
  return { name, mode: 0o755, source: bundle, content: () => readFileSync(bundle) };
}

class ContextCollector {
  private readonly repoRoot: string;
  private readonly realRepoRoot: string;

  constructor(root: string) {
    this.repoRoot = repositoryRoot(root);
    this.realRepoRoot = realpathSync(this.repoRoot);
  }

  /** Refuses a path that, links resolved, lies outside the repository: its content would vary by machine. */
  private checkInside(path: string, what: string): void {
    const real = realpathSync(path);
    if (real !== this.realRepoRoot && !real.startsWith(this.realRepoRoot + sep)) {
      throw new ContextError({
        message: `${what} ${path} leads to ${real}, outside the repository ${this.repoRoot}`,
        expected: 'files of the repository only',
      });
    }
  }

  private stat(path: string): Stats {
    try {
      return statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'is a symbolic link to nothing' : `cannot be read (${code})`;
      throw new ContextError({ message: `${path} ${why}` });
    }
  }

  /**
   * Every file below `dir` as [path relative to dir, absolute path, stats], as
   * os.walk lists them: links to files are followed, links to directories are
   * left out, directories themselves give no member.
   */
  walk(dir: string, prefix = ''): [string, string, Stats][] {
    const out: [string, string, Stats][] = [];
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new ContextError({ message: `${dir} cannot be listed (${(error as NodeJS.ErrnoException).code})` });
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out.push(...this.walk(path, rel));
        continue;
      }
      const stats = this.stat(path);
      if (entry.isSymbolicLink()) {
        if (stats.isDirectory()) continue;
        this.checkInside(path, 'the symbolic link');
      }
      out.push([rel, path, stats]);
    }
    return out;
  }

  include(directive: IncludeDirective, dockerfile: string): ContextMember[] {
    const at = { file: dockerfile, line: directive.line, column: directive.column };
    const fail = (message: string, expected: string): never => {
      throw new ContextError({ message, at, expected });
    };
    const { path } = directive;
    if (isAbsolute(path)) fail(`# %include ${path}: the path is absolute`, 'a path relative to the repository root');
    const target = resolve(this.repoRoot, path);
    const rel = relative(this.repoRoot, target);
    if (rel === '..' || rel.startsWith(`..${sep}`)) {
      fail(`# %include ${path}: the path leads outside the repository ${this.repoRoot}`, 'a path inside the repository');
    }
    let stats: Stats;
    try {
      stats = statSync(target);
    } catch {
      return fail(
        `# %include ${path}: ${target} does not exist`,
        `a file or directory relative to the repository root ${this.repoRoot} (the directory holding the taskgraph root)`,
      );
    }
    try {
      this.checkInside(target, `# %include ${path}:`);
      if (stats.isDirectory()) {
        return this.walk(target).map(([name, file, fileStats]) => fileMember(pythonJoin('topsrcdir', path, name), file, fileStats));
      }
      if (path.endsWith('/')) fail(`# %include ${path}: ${target} is a file, not a directory`, 'no trailing / after a file name');
      return [fileMember(pythonJoin('topsrcdir', path), target, stats)];
    } catch (error) {
      if (error instanceof ContextError && !error.problem.at) throw new ContextError({ ...error.problem, at });
      throw error;
    }
  }
}

function decodeDockerfile(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ContextError({ message: `${file} is not valid UTF-8`, expected: 'a UTF-8 Dockerfile' });
  }
}

/** Python orders the names as code points; UTF-8 bytes sort the same way. */
const byName = (a: ContextMember, b: ContextMember) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

/** The members of an image's context archive, sorted, or a ContextError saying what is wrong and where. */
export function collectContext({ root, definition, args }: ImageContextSource): CollectedContext {
  const contextDir = join(root, 'docker', definition);
  const dockerfile = join(contextDir, 'Dockerfile');
  const collector = new ContextCollector(root);
  // Later entries replace earlier ones of the same name, as in taskgraph's dict.
  const members = new Map<string, ContextMember>();
  for (const [name, path, stats] of collector.walk(contextDir)) members.set(name, fileMember(name, path, stats));

  const raw = readFileSync(dockerfile);
  const dockerfileText = decodeDockerfile(raw, dockerfile);
  let rewritten;
  try {
    rewritten = rewriteContextDockerfile(dockerfileText, args);
  } catch (error) {
    if (!(error instanceof DockerfileDirectiveError)) throw error;
    throw new ContextError({
      message: error.message,
      at: { file: dockerfile, line: error.line, column: error.column },
      expected: error.expected,
    });
  }
  for (const directive of rewritten.includes) {
    for (const member of collector.include(directive, dockerfile)) members.set(member.name, member);
  }
  if (rewritten.includesRunTask) {
    members.set(RUN_TASK_CONTEXT_PATH, runtimeMember(dockerfile, RUN_TASK_CONTEXT_PATH, runtimeBundlePath));
    members.set(FETCH_CONTENT_CONTEXT_PATH, runtimeMember(dockerfile, FETCH_CONTENT_CONTEXT_PATH, fetchContentBundlePath));
  }
  const text = Buffer.from(rewritten.text, 'utf8');
  members.set('Dockerfile', { name: 'Dockerfile', mode: DOCKERFILE_MODE, source: text, content: () => text });
  return { members: [...members.values()].sort(byName), dockerfileText };
}
