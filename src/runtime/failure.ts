// A run that must stop before (or instead of) running the task's command. The
// thrower explains the problem; main.ts prints the lines and exits with the
// status, so that every early exit goes through one place.
export class RunTaskExit extends Error {
  constructor(
    readonly status: number,
    /** Prefix of the lines, e.g. `cache` for `[cache <time>] …`. */
    readonly kind: string,
    readonly lines: readonly string[],
  ) {
    super(lines.join('\n'));
  }
}

/** The reason of a failed system call, short enough for one line: `EACCES: permission denied`. */
export function reason(error: unknown): string {
  if (error instanceof Error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code && e.syscall) {
      // Node's messages repeat the path we already name; keep the code and its meaning.
      const meaning = e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ .*$/, '');
      return `${e.code}: ${meaning}`;
    }
    return e.message;
  }
  return String(error);
}
