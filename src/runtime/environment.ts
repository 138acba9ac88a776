// The protocol variables are meant for run-task only: they are read and removed
// before anything else happens, so that neither the task nor anything it
// starts sees (or depends on) them.
import { ENV_CACHES, ENV_UNTRUSTED_CACHES, ENV_VOLUMES, splitPathList } from '../contract.js';

export interface ProtocolEnvironment {
  caches: string[];
  volumes: string[];
  /** Set whenever the payload has caches at level 1: their content may be hostile. */
  untrustedCaches: boolean;
  /** TASK_ID, for the audit entries; undefined when the worker did not set it. */
  taskId: string | undefined;
  /** The directory run-task started in, exported to the task as TASK_WORKDIR. */
  workdir: string;
}

export function takeProtocolEnvironment(env: NodeJS.ProcessEnv = process.env): ProtocolEnvironment {
  const caches = splitPathList(env[ENV_CACHES]);
  const volumes = splitPathList(env[ENV_VOLUMES]);
  const untrustedCaches = env[ENV_UNTRUSTED_CACHES] !== undefined;
  delete env[ENV_CACHES];
  delete env[ENV_VOLUMES];
  delete env[ENV_UNTRUSTED_CACHES];
  const workdir = process.cwd();
  env.TASK_WORKDIR = workdir;
  return { caches, volumes, untrustedCaches, taskId: env.TASK_ID, workdir };
}
