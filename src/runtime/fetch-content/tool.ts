// The image's programs (git, gpg, unzip, tar, the decompressors), run through
// execa. What they print goes to fetch-content's standard error as it comes;
// the last lines are kept, so that a failure names the program's own complaint.
import { execa } from 'execa';
import { writeSync } from 'node:fs';
import { FetchContentError } from './failure.js';

const KEPT_LINES = 5;
const LONGEST_LINE = 500;

export interface ToolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: Buffer | string;
  /** What the program is needed for, in the message when it is missing: `to clone REPO`. */
  purpose: string;
}

/** Runs `program` and waits for it; a failure is a FetchContentError with its status and last words. */
export async function runTool(program: string, args: readonly string[], options: ToolOptions): Promise<void> {
  const child = execa(program, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  const said = relay(child.stdout!, child.stderr!);
  const result = await child;
  if (result.exitCode === 0) return;
  throw new FetchContentError(toolFailure(program, args, result, said(), options.purpose));
}

type Ended = { exitCode?: number; signal?: string; cause?: unknown };

export function toolFailure(program: string, args: readonly string[], result: Ended, said: string[], purpose: string): string {
  if (result.exitCode === undefined && (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return `${program} is not installed (not found in PATH); the image needs it ${purpose}`;
  }
  const how = result.exitCode !== undefined ? `exited with status ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
  return `${program} ${args.join(' ')} ${how}${said.length > 0 ? `: ${said.join(' / ')}` : ''}`;
}

/** Copies the program's output to standard error; returns what keeps its last lines. */
export function relay(...streams: NodeJS.ReadableStream[]): () => string[] {
  const kept: string[] = [];
  for (const stream of streams) {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      writeSync(2, chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop()!.slice(-LONGEST_LINE);
      for (const line of lines) keep(line);
    });
    stream.on('end', () => keep(pending));
  }
  function keep(line: string) {
    const text = line.trim().slice(0, LONGEST_LINE);
    if (text === '') return;
    kept.push(text);
    if (kept.length > KEPT_LINES) kept.shift();
  }
  return () => kept;
}
