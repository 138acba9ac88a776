// `lint` with its configurations generated side by side: each configuration
// is a whole `generate`, and they share nothing, so on a machine with two or
// more cores this is close to twice as fast. The main thread lints one
// configuration itself while worker threads take others (a worker costs a
// second loading of every module). The result is the same as lint()'s
// (tested): findings are merged in configuration order, whatever order the
// threads finish in.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lintConfigurations, type LintConfiguration } from './configurations.js';
import type { Finding } from './finding.js';
import { lint, lintConfiguration, mergeConfigurationResults, withCheckoutDefaults, type LintOptions, type LintResult } from './lint.js';
import { SuppressionReader } from './suppression.js';

type WorkerReply = { ok: true; result: { findings: Finding[]; suppressed: Finding[] } } | { ok: false; message: string; stack?: string };

function inWorker(options: LintOptions, configuration: LintConfiguration): Promise<{ findings: Finding[]; suppressed: Finding[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./configuration-worker.js', import.meta.url), { workerData: { options, configuration } });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else {
        const error = new Error(reply.message);
        if (reply.stack) error.stack = reply.stack;
        reject(error);
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`lint worker for ${configuration.name} exited with status ${code} before reporting`));
    });
  });
}

export async function lintInParallel(given: LintOptions): Promise<LintResult> {
  const { options, notes } = withCheckoutDefaults(given);
  const configurations = lintConfigurations(options.paramsFiles ?? [], options.overrides ?? {});
  const width = Math.min(configurations.length, availableParallelism());
  if (width < 2) return { ...(await lint(options)), notes };
  const results: { findings: Finding[]; suppressed: Finding[] }[] = new Array(configurations.length);
  let next = 0;
  const workerLane = async () => {
    while (next < configurations.length) {
      const index = next++;
      results[index] = await inWorker(options, configurations[index]!);
    }
  };
  const suppressions = new SuppressionReader();
  const mainLane = async () => {
    while (next < configurations.length) {
      const index = next++;
      results[index] = await lintConfiguration(options, configurations[index]!, suppressions);
      // Let the worker lanes hand out the next configurations before this thread takes another.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  // The workers first, so that they start while this thread is busy.
  const lanes = Array.from({ length: width - 1 }, workerLane);
  await Promise.all([...lanes, mainLane()]);
  return { ...mergeConfigurationResults(configurations, results), notes };
}
