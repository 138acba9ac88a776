// `tc-payload generate`: the pipeline, then one of three renderings of its
// result (taskgraph JSON, resolved task definitions, or a summary), and with
// --write-artifacts the docker contexts its image tasks download.
import { formatDiagnostic } from '../transform/diagnostics.js';
import { toTaskgraphJson } from '../transform/output/emit.js';
import { resolveTasks } from '../transform/output/resolve.js';
import { generate } from '../transform/pipeline.js';
import type { GenerateArgs } from './args.js';
import { formatSummary } from './summary.js';
import { writeDockerContexts } from './write-docker-contexts.js';
import { writeFileAtomically, writeStdout } from './write-output.js';

export async function runGenerate(args: GenerateArgs): Promise<number> {
  const result = generate({ root: args.root, paramsFile: args.paramsFile, overrides: args.overrides });
  let text: string;
  if (args.summary) {
    text = formatSummary(result.tasks, result.graph.params, result.warnings);
  } else {
    const output = args.resolve
      ? resolveTasks(result.tasks, { seed: args.seed, taskGroupId: args.taskGroupId, rootUrl: args.rootUrl })
      : toTaskgraphJson(result.tasks);
    text = JSON.stringify(output, null, 2) + '\n';
  }
  // The contexts first: a graph is only published with the contexts its image tasks download.
  if (args.writeArtifacts !== undefined) await writeDockerContexts(result.images, args.writeArtifacts);
  if (args.output) writeFileAtomically(args.output, text);
  else await writeStdout(text);
  if (!args.summary) {
    for (const w of result.warnings) process.stderr.write(`${formatDiagnostic({ ...w, severity: 'warning' })}\n`);
  }
  return 0;
}
