// run-task: prepares the task's caches and volumes, drops privileges and runs
// the task's command with timestamped output (DESIGN.md, "The cache protocol").
// Bundled with everything it imports (Node.js built-ins, and execa for the
// fetches) into the single file dist/run-task.
import { accessSync, constants, statSync } from 'node:fs';
import { parseArgs } from './args.js';
import { runCheckouts, setUpCheckouts } from './checkout/checkouts.js';
import { prepareCache } from './caches/validate-cache.js';
import { takeProtocolEnvironment } from './environment.js';
import { prefixedOutput, runCommand } from './exec/run-command.js';
import { openOutputChannel } from './exec/output-channel.js';
import { RunTaskExit, reason } from './failure.js';
import { logLine, logLines } from './log.js';
import { dropPrivileges } from './privileges.js';
import { resolveIdentity } from './users.js';
import { prepareVolumes } from './volumes.js';

async function main(argv: readonly string[]): Promise<number> {
  const environment = takeProtocolEnvironment();
  const args = parseArgs(argv);
  logLine('setup', `run-task started in ${environment.workdir}`);

  const isRoot = process.getuid!() === 0;
  const identity = resolveIdentity(args.user, args.group, isRoot);
  if (!isRoot) {
    logLine('setup', `not running as root: the command runs as uid ${identity.uid}, gid ${identity.gid}, without switching user`);
  }
  const context = { identity, untrusted: environment.untrustedCaches, isRoot, taskId: environment.taskId };
  for (const cache of environment.caches) await prepareCache(cache, context);
  prepareVolumes(environment.volumes, environment.caches, identity, isRoot);
  // As root: refusals and parent directories; the git work waits for the privilege drop.
  const checkouts = setUpCheckouts(args.checkouts, environment, identity, isRoot);

  const { prefixer, onChunk } = prefixedOutput();
  let channel;
  try {
    channel = await openOutputChannel(onChunk);
  } catch (error) {
    throw new RunTaskExit(1, 'setup', [
      `error: cannot create the channel for the command's output (a Unix socket in the abstract namespace): ${(error as Error).message}`,
    ]);
  }
  dropPrivileges(identity);
  await runCheckouts(checkouts, identity);
  if (process.env.MOZ_FETCHES !== undefined) {
    // Loaded only for a task with fetches: the rest of run-task starts up without execa.
    const { runFetches } = await import('./fetch/fetches.js');
    await runFetches();
  }
  if (args.taskCwd !== undefined) checkTaskCwd(args.taskCwd);
  logLine('setup', `executing ${JSON.stringify(args.command)}`);
  return runCommand(args.command, args.taskCwd, channel, prefixer);
}

function checkTaskCwd(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new Error('it is not a directory');
    accessSync(dir, constants.X_OK);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ? reason(error) : (error as Error).message;
    throw new RunTaskExit(1, 'setup', [`error: --task-cwd ${dir} cannot be the command's working directory: ${why}`]);
  }
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    if (error instanceof RunTaskExit) {
      logLines(error.kind, error.lines);
      process.exit(error.status);
    }
    logLine('setup', `error: run-task failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
