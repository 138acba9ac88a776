// The TransformConfig a plugin function is given (api.ts): the kind's and the
// generation's settings, as plain data.
import type { LoadedGraph, LoadedKind } from '../transform/model.js';
import type { TransformConfig } from './api.js';

export function transformConfig(graph: LoadedGraph, kind: LoadedKind): TransformConfig {
  return {
    kind: kind.name,
    path: kind.dir,
    config: kind.config,
    params: graph.params as unknown as Record<string, unknown>,
    graphConfig: graph.config as unknown as Record<string, unknown>,
  };
}
