// `generate`'s taskgraph JSON, made by several threads at once: the threads,
// this one included, take the kinds one by one off a shared list
// (plan-shards.ts, generate-shard.ts), generate and serialize them, and the
// pieces are joined in the order a serial run would write them, into the same
// bytes. What needs every kind at once is checked here: that every kind was
// generated once, the order of the kinds (a cycle of kind-dependencies, which
// no single thread sees), duplicate labels and dependencies on missing labels.
//
// Returns undefined when the graph is not worth splitting or is not clean; the
// caller then runs the serial `generate`, which reports every problem exactly
// as it always does.
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics.js';
import { orderKinds } from '../load/kind-order.js';
import { findDependencyCycles } from '../transforms/dependency-cycles.js';
import type { GenerateOptions } from '../pipeline.js';
import { generateShard, SHARED_SLOTS, type ShardKind, type ShardRequest, type ShardResult } from './generate-shard.js';
import { MIN_BYTES_PER_THREAD, planShards } from './plan-shards.js';

export interface ShardedJson {
  /** The whole output, as `JSON.stringify(toTaskgraphJson(tasks), null, 2) + "\n"`. */
  text: string;
  warnings: Diagnostic[];
  /** How many threads generated it. */
  shards: number;
}

export interface ShardOptions {
  /** The most threads to use. */
  width: number;
  /** Split even a small tree (when the user asked for a number of jobs). */
  force?: boolean;
}

function inWorker(request: ShardRequest): { result: Promise<ShardResult>; stop: () => void } {
  const worker = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: request });
  const result = new Promise<ShardResult>((resolve) => {
    worker.once('message', (reply: ShardResult) => resolve(reply));
    worker.once('error', (error) => resolve({ ok: false, reason: `worker failed: ${error.message}` }));
    worker.once('exit', (code) => resolve({ ok: false, reason: `worker exited with status ${code}` }));
  });
  return { result, stop: () => void worker.terminate() };
}

const nowhere = { locate: () => undefined };

/** Every label once, every dependency on a label of the graph. */
function labelsConsistent(kinds: readonly ShardKind[]): boolean {
  const labels = new Set<string>();
  for (const kind of kinds) {
    for (const label of kind.labels) {
      if (labels.has(label)) return false;
      labels.add(label);
    }
  }
  return kinds.every((kind) => kind.dependencies.every((deps) => deps.every((label) => labels.has(label))));
}

/** A dependency cycle among the tasks of all threads (the serial run names it). */
function hasCycle(kinds: readonly ShardKind[]): boolean {
  const dependencies = new Map<string, readonly string[]>();
  for (const kind of kinds) kind.labels.forEach((label, i) => dependencies.set(label, kind.dependencies[i] ?? []));
  return findDependencyCycles(dependencies).length > 0;
}

export async function generateJsonInShards(options: GenerateOptions, shardOptions: ShardOptions): Promise<ShardedJson | undefined> {
  if (shardOptions.width < 2) return undefined;
  const plan = planShards(options.root, shardOptions.width, shardOptions.force ? 0 : MIN_BYTES_PER_THREAD);
  if (plan.threads < 2) return undefined;

  const request: ShardRequest = {
    options,
    kinds: plan.kinds,
    shared: new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT)),
  };
  const workers = Array.from({ length: plan.threads - 1 }, () => inWorker(request));
  let results: ShardResult[];
  try {
    const mine = await generateShard(request);
    if (!mine.ok) return undefined;
    results = [mine, ...(await Promise.all(workers.map((w) => w.result)))];
  } finally {
    for (const w of workers) w.stop();
  }
  const emitted: ShardKind[] = [];
  for (const result of results) {
    if (!result.ok) return undefined;
    emitted.push(...result.kinds);
  }

  // Nothing may be missing from the output because a thread did not answer for it.
  const names = new Set(emitted.map((kind) => kind.name));
  if (names.size !== emitted.length || plan.kinds.some((name) => !names.has(name))) return undefined;

  const orderProblems: Diagnostic[] = [];
  const ordered = orderKinds(
    emitted.map((kind) => ({ ...kind, configSource: nowhere })),
    orderProblems,
  );
  if (orderProblems.length || !labelsConsistent(ordered) || hasCycle(ordered)) return undefined;

  const pieces = ordered.map((kind) => kind.json).filter((json) => json !== '');
  const first = results[0] as Extract<ShardResult, { ok: true }>;
  return {
    text: pieces.length ? `{\n${pieces.join(',\n')}\n}\n` : '{}\n',
    warnings: [
      ...first.graphWarnings,
      ...ordered.flatMap((kind) => kind.stageWarnings),
      ...ordered.flatMap((kind) => kind.taskWarnings),
    ],
    shards: plan.threads,
  };
}
