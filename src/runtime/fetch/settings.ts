// How patient a fetch is. The defaults are those of taskgraph's fetch-content
// (5 attempts, 60 s before the second and 1.5 times longer before each next,
// no more than 300 s; 60 s without a byte abandons an attempt). A task may
// change them through the environment, e.g. to fail sooner on a server that
// is known to be down for good.
import { availableParallelism } from 'node:os';
import { RunTaskExit } from '../failure.js';

export interface FetchSettings {
  attempts: number;
  /** Wait before the second attempt; each next wait is 1.5 times longer, at most MAX_DELAY_SECONDS. */
  firstDelaySeconds: number;
  /** An attempt that receives nothing for this long is abandoned (and retried). */
  idleTimeoutSeconds: number;
  /** Artifacts fetched at the same time. */
  concurrency: number;
}

export const MAX_DELAY_SECONDS = 300;
export const DELAY_GROWTH = 1.5;

const VARIABLES = {
  attempts: 'RUN_TASK_FETCH_ATTEMPTS',
  firstDelaySeconds: 'RUN_TASK_FETCH_RETRY_DELAY',
  idleTimeoutSeconds: 'RUN_TASK_FETCH_IDLE_TIMEOUT',
} as const;

export function readFetchSettings(env: NodeJS.ProcessEnv): FetchSettings {
  return {
    attempts: number(env, VARIABLES.attempts, 5, { integer: true, min: 1, max: 100 }),
    firstDelaySeconds: number(env, VARIABLES.firstDelaySeconds, 60, { integer: false, min: 0, max: MAX_DELAY_SECONDS }),
    idleTimeoutSeconds: number(env, VARIABLES.idleTimeoutSeconds, 60, { integer: false, min: 0.1, max: 3600 }),
    // As fetch-content: one download per CPU.
    concurrency: availableParallelism(),
  };
}

/** The wait before attempt `next` (2 for the first retry), give or take 10 % so that tasks do not retry in step. */
export function retryDelaySeconds(settings: FetchSettings, next: number): number {
  const base = Math.min(settings.firstDelaySeconds * DELAY_GROWTH ** (next - 2), MAX_DELAY_SECONDS);
  return base * (0.9 + 0.2 * Math.random());
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, rule: { integer: boolean; min: number; max: number }): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\s*[0-9.]+\s*$/.test(text) || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || value < rule.min || value > rule.max) {
    throw new RunTaskExit(1, 'fetches', [
      `error: ${name} is ${JSON.stringify(text)}; expected ${rule.integer ? 'a whole number' : 'a number of seconds'} ` +
        `from ${rule.min} to ${rule.max} (default ${fallback}), or leave it unset`,
    ]);
  }
  return value;
}
