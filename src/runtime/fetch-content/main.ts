// fetch-content, the program taskgraph's fetch tasks run (`run-task --
// fetch-content static-url …`), here as part of this project's runtime: the
// image gets it with run-task (`# %include-run-task`). It prints its progress
// on standard output; a failure is one `error:` line per problem on standard
// error and exit status 1, a command line it cannot read exit status 2 with
// the usage, never a stack trace.
import { writeSync } from 'node:fs';
import { RunTaskExit } from '../failure.js';
import { GaveUp } from '../fetch/retry.js';
import { GENERAL_USAGE, parseCommandLine, USAGE } from './command-line.js';
import { FetchContentError, UsageError } from './failure.js';
import { gitCheckoutArchive } from './git-checkout-archive.js';
import { staticUrl } from './static-url.js';
import { taskArtifacts } from './task-artifacts.js';

const say = (fd: 1 | 2, text: string) => writeSync(fd, text.endsWith('\n') ? text : `${text}\n`);

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCommandLine(argv, env);
  switch (parsed.command) {
    case 'help':
      say(1, parsed.about !== undefined ? (USAGE[parsed.about] ?? GENERAL_USAGE) : GENERAL_USAGE);
      return 0;
    case 'static-url':
      await staticUrl(parsed.args, env);
      return 0;
    case 'git-checkout-archive':
      await gitCheckoutArchive(parsed.args, env);
      return 0;
    case 'task-artifacts':
      await taskArtifacts(parsed.dest, env);
      return 0;
  }
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    say(2, `${(error.command !== undefined ? USAGE[error.command] : undefined) ?? GENERAL_USAGE}\nfetch-content: error: ${error.message}`);
    return 2;
  }
  if (error instanceof RunTaskExit) {
    say(2, error.lines.map((line) => (line.startsWith('error: ') ? line : `error: ${line}`)).join('\n'));
    return error.status;
  }
  if (error instanceof FetchContentError || error instanceof GaveUp) {
    say(2, `error: ${error.message}`);
    return 1;
  }
  // The file system (a full disk, a refused directory): its message names the path.
  say(2, `error: ${error instanceof Error ? error.message : String(error)}`);
  if (env.FETCH_CONTENT_DEBUG && error instanceof Error && error.stack) say(2, error.stack);
  return 1;
}

const env = process.env;
// A failure outside the awaited flow (a stream's late error) still ends as one line, not a trace.
process.on('uncaughtException', (error) => process.exit(report(error)));
process.on('unhandledRejection', (error) => process.exit(report(error)));
main(process.argv.slice(2), env).then(
  (status) => process.exit(status),
  (error: unknown) => process.exit(report(error)),
);
