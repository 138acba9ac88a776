// Attempts at one fetch, with the waits of settings.ts between them. Only a
// failure that may pass (FetchFailure.retryable) is tried again; any other
// error (the disk, a missing program) ends the fetch at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { logLine } from '../log.js';
import { FetchFailure } from './fetch-failure.js';
import { retryDelaySeconds, type FetchSettings } from './settings.js';

/** The last failure of a fetch, and after how many attempts it gave up. */
export class GaveUp extends Error {
  constructor(
    readonly failure: FetchFailure,
    readonly attempts: number,
  ) {
    super(failure.message);
  }
}

export async function withRetries<T>(label: string, settings: FetchSettings, attempt: () => Promise<T>): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = error instanceof FetchFailure ? error : new FetchFailure(error instanceof Error ? error.message : String(error), false);
      if (!failure.retryable || number >= settings.attempts) throw new GaveUp(failure, number);
      const wait = retryDelaySeconds(settings, number + 1);
      logLine('fetches', `${label}: attempt ${number} of ${settings.attempts} failed: ${failure.message}; trying again in ${wait.toFixed(wait < 10 ? 2 : 0)} s`);
      await sleep(wait * 1000);
    }
  }
}
