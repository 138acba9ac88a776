// Payload builders by worker implementation (the `implementation` of a worker
// alias in config.yml). Adding a worker means adding a module and a line here.
import { buildAlwaysOptimizedPayload, buildSucceedPayload } from './builtin.js';
import { buildDockerWorkerPayload } from './docker-worker.js';
import { buildGenericWorkerPayload } from './generic-worker.js';
import type { PayloadBuilder } from './types.js';

export const payloadBuilders: ReadonlyMap<string, PayloadBuilder> = new Map([
  ['docker-worker', buildDockerWorkerPayload],
  ['generic-worker', buildGenericWorkerPayload],
  ['succeed', buildSucceedPayload],
  ['always-optimized', buildAlwaysOptimizedPayload],
]);

export function payloadBuilderFor(implementation: string): PayloadBuilder | undefined {
  return payloadBuilders.get(implementation);
}

export const supportedImplementations = (): string[] => [...payloadBuilders.keys()].sort();
