// The entry point of a worker thread that generates one share of the graph.
import { parentPort, workerData } from 'node:worker_threads';
import { generateShard, type ShardRequest, type ShardResult } from './generate-shard.js';

let result: ShardResult;
try {
  result = await generateShard(workerData as ShardRequest);
} catch (error) {
  // The serial run that follows reproduces it in the main thread, with its stack under --debug.
  result = { ok: false, reason: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}
parentPort!.postMessage(result);
