// One lint configuration in a worker thread, so that the levels are generated
// in parallel (each is a full generate; see parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { LintConfiguration } from './configurations.js';
import { lintConfiguration, type LintOptions } from './lint.js';
import { SuppressionReader } from './suppression.js';

const { options, configuration } = workerData as { options: LintOptions; configuration: LintConfiguration };
try {
  parentPort!.postMessage({ ok: true, result: await lintConfiguration(options, configuration, new SuppressionReader()) });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  parentPort!.postMessage({ ok: false, message: e.message, stack: e.stack });
}
