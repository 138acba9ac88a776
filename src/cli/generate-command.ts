// `tc-payload generate`: the pipeline, then one of three renderings of its
// result (taskgraph JSON, resolved task definitions, or a summary), and with
// --write-artifacts the docker contexts its image tasks download and the
// run-task that generic-worker tasks mount.
import { availableParallelism } from 'node:os';
import { DiagnosticsError, formatDiagnostic, type Diagnostic } from '../transform/diagnostics.js';
import { checkoutParameters, describeCheckoutParameters } from '../transform/load/checkout-parameters.js';
import { LIMIT_OPTIONS, limits, setLimits } from '../transform/load/limits.js';
import { toTaskgraphJson } from '../transform/output/emit.js';
import { resolveTasks } from '../transform/output/resolve.js';
import { generateJsonInShards } from '../transform/parallel/generate-in-shards.js';
import { generate } from '../transform/pipeline.js';
import type { GenerateArgs } from './args.js';
import { formatSummary } from './summary.js';
import { writeDockerContexts } from './write-docker-contexts.js';
import { writeRuntimeArtifact } from './write-runtime-artifact.js';
import { writeFileAtomically, writeStdout } from './write-output.js';

/**
 * One thread per two cores: a V8 isolate generating a graph keeps about one
 * and a half cores busy (its garbage collector and compiler run beside it), so
 * on two cores a second thread only competes with the first one's helpers
 * (measured in bench/README.md).
 */
function defaultJobs(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export async function runGenerate(args: GenerateArgs): Promise<number> {
  // No parameters file: the repository parameters of the checkout, as taskgraph's `full`; a given file stays authoritative.
  const fromCheckout = args.paramsFile === undefined ? checkoutParameters(args.root) : undefined;
  if (fromCheckout) process.stderr.write(`note: ${describeCheckoutParameters(fromCheckout, new Set(Object.keys(args.overrides)))}\n`);
  const options = {
    root: args.root,
    paramsFile: args.paramsFile,
    overrides: args.overrides,
    limits: args.limits,
    ...(fromCheckout ? { defaultParameters: fromCheckout.values } : {}),
  };
  setLimits(args.limits);
  // The plain JSON output can be made by several threads; the summary,
  // --resolve and the docker contexts need every task in one place, and so
  // does reporting problems (a graph with any is generated again in this
  // thread, which reports them).
  if (!args.summary && !args.resolve && args.writeArtifacts === undefined) {
    const sharded = await withinOutputLimit(() => generateJsonInShards(options, { width: args.jobs ?? defaultJobs(), force: args.jobs !== undefined }));
    if (sharded) return write(args, sharded.text, sharded.warnings);
  }
  const result = await generate(options);
  const text = await withinOutputLimit(() => {
    if (args.summary) return formatSummary(result.tasks, result.graph.params, result.warnings);
    const output = args.resolve
      ? resolveTasks(result.tasks, { seed: args.seed, taskGroupId: args.taskGroupId, rootUrl: args.rootUrl })
      : toTaskgraphJson(result.tasks);
    return JSON.stringify(output, null, 2) + '\n';
  });
  // The contexts first: a graph is only published with the contexts its image tasks download.
  if (args.writeArtifacts !== undefined) {
    await writeDockerContexts(result.images, args.writeArtifacts);
    writeRuntimeArtifact(args.writeArtifacts);
  }
  return write(args, text, args.summary ? [] : result.warnings);
}

/**
 * The output, refused when it is bigger than --max-output-size (or bigger than
 * Node.js can hold in one string, which would otherwise be an internal error).
 */
async function withinOutputLimit<T extends string | { text: string } | undefined>(make: () => T | Promise<T>): Promise<T> {
  const max = limits().maxOutputBytes;
  const refuse = (what: string): never => {
    throw new DiagnosticsError([
      {
        severity: 'error',
        message: `the output ${what} the limit of ${max} bytes (${LIMIT_OPTIONS.maxOutputBytes})`,
        hint: `raise it with ${LIMIT_OPTIONS.maxOutputBytes} if a graph this big is meant, or look for a task or alias that repeats far more than it should`,
      },
    ]);
  };
  let made: T;
  try {
    made = await make();
  } catch (error) {
    if (error instanceof RangeError && /string length/i.test(error.message)) return refuse('is longer than Node.js can hold, and so over');
    throw error;
  }
  const text = typeof made === 'string' ? made : made?.text;
  // Characters first: counting bytes costs a pass over the text, needed only near the limit.
  if (text !== undefined && text.length * 3 > max && Buffer.byteLength(text) > max) refuse(`is ${Buffer.byteLength(text)} bytes, over`);
  return made;
}

/** The output, then the warnings (the summary shows its own). */
async function write(args: GenerateArgs, text: string, warnings: readonly Diagnostic[]): Promise<number> {
  if (args.output) writeFileAtomically(args.output, text);
  else await writeStdout(text);
  for (const w of warnings) process.stderr.write(`${formatDiagnostic({ ...w, severity: 'warning' })}\n`);
  return 0;
}
