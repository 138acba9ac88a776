// Calling a function of a plugin: whatever it throws becomes one diagnostic,
// located at the line of the repository's own file that threw (load-plugin.ts
// thrownAt), else at the entry of the YAML that named the plugin.
import { dirname } from 'node:path';
import type { Diagnostic, Location } from '../transform/diagnostics.js';
import { thrownAt, thrownText } from './load-plugin.js';

export type PluginCall<T> = { ok: true; value: T } | { ok: false; diagnostic: Diagnostic };

/**
 * `call()`'s value, or the diagnostic `<what> failed: <Error: message>`.
 * `taskgraphRoot` bounds the files a throw may be located in (its repository);
 * `fallback` is where the problem is reported when no frame of the stack is there.
 */
export function callPlugin<T>(call: () => T, what: string, taskgraphRoot: string, fallback: () => Location | undefined): PluginCall<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    const at = thrownAt(error, dirname(taskgraphRoot));
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        message: `${what} failed: ${thrownText(error)}`,
        location: at ?? fallback(),
        ...(at ? {} : { hint: 'the stack names no line of the repository' }),
      },
    };
  }
}

/** A promise or other thenable: what an async function returns. */
export const isThenable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
