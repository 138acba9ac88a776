// What a failed git command's output says about the cause, because each
// cause asks for a different answer: a damaged local clone is replaced (it is
// only a cache), an answer of the server that will not change fails at once,
// and anything else (the network, a busy server) is retried and, in the end,
// fails the task while keeping the clone for the next one.

export type GitFailure =
  /** The local repository is broken: objects, refs or index unreadable. */
  | 'damaged'
  /** The server does not have what was asked: no such revision, ref or repository. */
  | 'missing'
  /** The server, or ssh before it, refused access. */
  | 'denied'
  /** Anything else: the network, a server having a bad moment. Worth retrying. */
  | 'transient';

const DAMAGED = [
  /not a git repository/,
  /\bbad object\b/,
  /did not send all necessary objects/,
  /unable to read (sha1 file|tree|object)/,
  /\bis corrupt\b/,
  /object file .* is empty/,
  /inflate: data stream error/,
  /index file corrupt|bad index file|index file smaller than expected/,
  /packfile .* (cannot be accessed|does not match index)/,
  /failed to read object/,
  /invalid sha1 pointer/,
  /current branch appears to be broken/,
  /does not point to a valid object/,
];

const MISSING = [
  /not our ref/,
  /couldn't find remote ref/,
  /no such remote ref/,
  /unadvertised object/,
  /does not appear to be a git repository/,
  /[Rr]epository .* not found/,
  /repository '.*' does not exist/,
  /invalid refspec/,
  // A submodule's recorded commit is not in the submodule's repository.
  /but it did not contain [0-9a-f]+/,
  /reference is not a tree/,
];

const DENIED = [
  /Permission denied \(publickey/,
  /Host key verification failed/,
  // An https server that wants credentials (GitHub's answer for a private or missing repository).
  /could not read (Username|Password) for/,
];

/** The first line of the output that matches one of the patterns. */
function lineMatching(output: string, patterns: readonly RegExp[]): string | undefined {
  return output.split('\n').find((line) => patterns.some((p) => p.test(line)));
}

export function classifyGitFailure(output: string): { kind: GitFailure; line: string | undefined } {
  // Damage first: a broken clone also makes fetches fail in ways that look like the server's fault.
  for (const [kind, patterns] of [['damaged', DAMAGED], ['missing', MISSING], ['denied', DENIED]] as const) {
    const line = lineMatching(output, patterns);
    if (line !== undefined) return { kind, line };
  }
  return { kind: 'transient', line: undefined };
}

/** The error lines of git (and of ssh under it), joined, for a one-line explanation; the last line when there are none. */
export function gitErrorSummary(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  return lines.filter((l) => /fatal|error|^ssh:/.test(l)).join(' | ') || lines.at(-1) || '(no output)';
}
