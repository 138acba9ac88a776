// taskgraph's `self_taskgraph/__init__.py` `register(graph_config)`, named in
// config.yml as `taskgraph: register: self_taskgraph:register`: called once
// per generation, before the parameters are checked.
import type { Registry } from 'tc-payload';
import { bare } from './run/bare.js';
import { signing } from './worker_types.js';

export function register(registry: Registry): void {
  // A parameter of the repository's own, checked in params.yml; nightly unless given.
  registry.parameters({
    schema: {
      properties: {
        release_type: { type: 'string', enum: ['nightly', 'beta', 'release'], description: 'What kind of release this push makes.' },
      },
    },
    defaults: { release_type: 'nightly' },
  });
  // `by-release-type:` in any keyed-by field.
  registry.keyedBy('release-type', (_task, params) => params.release_type as string);
  registry.runUsing('docker-worker', 'bare', bare);
  registry.payloadBuilder('scriptworker-signing', signing);
}
