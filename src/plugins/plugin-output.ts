// What a plugin function hands back (a transform's or a loader's), taken
// apart the same way for both: an iterable is read synchronously (an await
// per task would cost time on large kinds), a promise or an async iterable is
// awaited, and each value must be plain JSON data. A promise that can never
// settle ends the wait (until-settled.ts) instead of the process.
import { isRecord } from '../transform/plain-data.js';
import { untilSettled } from './until-settled.js';

export type Drained =
  | { ok: true }
  /** The promise returned, or the next value of an async iterable, can never settle. */
  | { ok: false; unsettled: 'promise' | 'next' }
  | { ok: false; returned: unknown; promised: boolean };

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
const isIterable = (value: unknown): value is Iterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/** Calls `accept` with each value of `result`; what the plugin throws is thrown. */
export async function drainPluginResult(result: unknown, accept: (value: unknown) => void): Promise<Drained> {
  const promised = isThenable(result);
  if (isThenable(result)) {
    const settled = await untilSettled(result);
    if (!settled.settled) return { ok: false, unsettled: 'promise' };
    result = settled.value;
  }
  if (isIterable(result)) {
    for (const value of result) accept(value);
    return { ok: true };
  }
  if (isAsyncIterable(result)) {
    const iterator = result[Symbol.asyncIterator]();
    for (;;) {
      const next = await untilSettled(iterator.next());
      if (!next.settled) return { ok: false, unsettled: 'next' };
      if (next.value.done) return { ok: true };
      accept(next.value.value);
    }
  }
  return { ok: false, returned: result, promised };
}

/** Where a value that is not JSON sits in a yielded task, as a path; undefined when it is all JSON. */
export function notJson(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} (${value})`;
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      const found = notJson(entry, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const [key, entry] of Object.entries(value)) {
      const found = notJson(entry, path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  const what = typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
  return `${path || 'the task'} (a ${what})`;
}

/** Where a yielded value is not a plain JSON task description, or undefined. */
export function notATask(value: unknown): string | undefined {
  return isRecord(value) ? notJson(value, '') : `the task (${describeValue(value)})`;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value as object).constructor?.name;
  return !name || name === 'Object' ? 'an object' : `a ${name}`;
}

/** "returned a number", "returned a promise of a number". */
export function returnedText(drained: Extract<Drained, { returned: unknown }>): string {
  return `returned ${drained.promised ? `a promise of ${describeValue(drained.returned)}` : describeValue(drained.returned)}`;
}

export const JSON_TASK_EXPECTED = 'a task description of plain objects, arrays, strings, finite numbers, booleans and null';
