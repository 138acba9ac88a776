// Worker aliases (config.yml `workers.aliases`): a task names an alias, the
// alias says where the task runs and which payload builder applies.
import type { GraphConfig } from '../model.js';

export interface ResolvedWorker {
  alias: string;
  provisionerId: string;
  workerType: string;
  implementation: string;
  os: string;
}

const substituteLevel = (text: string, level: string) => text.replaceAll('{level}', level);

/** The alias resolved at `level`, or undefined when config.yml does not define it. */
export function resolveWorkerAlias(config: GraphConfig, alias: string, level: string): ResolvedWorker | undefined {
  const aliases = config.workers?.aliases ?? {};
  if (!Object.prototype.hasOwnProperty.call(aliases, alias)) return undefined;
  const entry = aliases[alias]!;
  return {
    alias,
    provisionerId: substituteLevel(String(entry.provisioner), level),
    workerType: substituteLevel(String(entry['worker-type']), level),
    implementation: String(entry.implementation),
    os: String(entry.os),
  };
}

export function knownAliases(config: GraphConfig): string[] {
  return Object.keys(config.workers?.aliases ?? {}).sort();
}
