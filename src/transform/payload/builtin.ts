// taskgraph's built-in worker types. `succeed` tasks are resolved by the
// queue itself and take no worker settings at all; `always-optimized` tasks
// are never submitted (their optimization replaces them), so anything in
// their worker section is ignored, as taskgraph ignores it. Both payloads are
// empty.
import type { PayloadBuilder, PayloadOutput } from './types.js';
import { workerError } from './types.js';

export const buildSucceedPayload: PayloadBuilder = (input) => {
  const out: PayloadOutput = { payload: {}, scopes: [], dependencies: {}, diagnostics: [], warnings: [] };
  for (const key of Object.keys(input.worker)) {
    if (key === 'implementation') continue;
    out.diagnostics.push(
      workerError(input, [key], `the built-in worker type "succeed" takes no worker settings, but this task sets "${key}"`, 'no worker section, or only implementation: succeed'),
    );
  }
  return out;
};

export const buildAlwaysOptimizedPayload: PayloadBuilder = () => ({ payload: {}, scopes: [], dependencies: {}, diagnostics: [], warnings: [] });
