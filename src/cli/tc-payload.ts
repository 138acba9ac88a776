#!/usr/bin/env node
// Entry point of the build-time half. Turns every failure into a message a
// user can act on and an exit status: 1 for bad input or usage, 2 for a bug
// here (with the stack only under --debug).
import { readFileSync } from 'node:fs';
import { DiagnosticsError, formatDiagnostic } from '../transform/diagnostics.js';
import { packageRoot } from '../transform/package-paths.js';
import { join } from 'node:path';
import { USAGE, UsageError, parseCommandLine } from './args.js';
import { runGenerate } from './generate-command.js';
import { runLint } from './lint-command.js';

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const args = parseCommandLine(argv);
    switch (args.command) {
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case 'usage':
        process.stderr.write(USAGE);
        return 2;
      case 'version': {
        const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
        process.stdout.write(`${pkg.version}\n`);
        return 0;
      }
      case 'generate':
        return await runGenerate(args);
      case 'lint':
        return await runLint(args);
    }
  } catch (error) {
    return report(error, debug);
  }
}

function report(error: unknown, debug: boolean): number {
  if (error instanceof DiagnosticsError) {
    const errors = error.diagnostics.filter((d) => d.severity === 'error');
    for (const d of error.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`tc-payload: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`tc-payload: ${error.message}\nRun "tc-payload --help" for the options.\n`);
    return 1;
  }
  const err = error as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.path === 'string') {
    // A file the user named could not be read or written.
    process.stderr.write(`tc-payload: ${err.path}: ${err.message}\n`);
    if (debug) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
  process.stderr.write(
    `tc-payload: internal error: ${err instanceof Error ? err.message : String(err)}\n` +
      (debug ? `${(err as Error)?.stack ?? ''}\n` : 'Run again with --debug for the stack trace, and report it.\n'),
  );
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
