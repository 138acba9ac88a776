// `tc-payload lint`: lint the tree, print the report in the chosen format on
// standard output, and say by the exit status whether it fails the run (1 on
// errors, or on warnings with --strict; 0 otherwise).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatHuman } from '../lint/format/human.js';
import { formatJson } from '../lint/format/json.js';
import { formatSarif } from '../lint/format/sarif.js';
import { lintGraphFiles } from '../lint/graph-file/lint-graph-files.js';
import { lintExitStatus } from '../lint/lint.js';
import { setLimits } from '../transform/load/limits.js';
import { lintInParallel } from '../lint/parallel.js';
import { packageRoot } from '../transform/package-paths.js';
import type { LintArgs } from './args.js';
import { writeStdout } from './write-output.js';

export async function runLint(args: LintArgs): Promise<number> {
  let result;
  if (args.graphs.length > 0) {
    setLimits(args.limits);
    result = lintGraphFiles(args.graphs);
  } else {
    result = await lintInParallel({ root: args.root, paramsFiles: args.paramsFiles, overrides: args.overrides, limits: args.limits });
  }
  const cwd = process.cwd();
  let text: string;
  switch (args.format) {
    case 'json':
      text = formatJson(result, cwd);
      break;
    case 'sarif': {
      const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
      text = formatSarif(result, cwd, pkg.version);
      break;
    }
    case 'human':
      text = formatHuman(result, { colour: process.stdout.isTTY === true && !process.env.NO_COLOR, cwd });
      break;
  }
  await writeStdout(text);
  return lintExitStatus(result.findings, args.strict);
}
