// A plugin's promise awaited so that one that can never settle (it waits for
// a callback nothing will make) is an error instead of a silent exit: when the
// event loop has nothing left to run, Node.js emits 'beforeExit' (in a worker
// thread too), and the wait ends there. Otherwise Node.js would end the
// process while generation is half done, with no message.

export type Settled<T> = { settled: true; value: T } | { settled: false };

export async function untilSettled<T>(promise: PromiseLike<T>): Promise<Settled<T>> {
  let stop = () => {};
  const drained = new Promise<Settled<T>>((resolve) => {
    // Through setImmediate: the loop must have work again after 'beforeExit',
    // or Node.js exits without emitting it for the next promise that cannot settle.
    const onDrained = () => setImmediate(() => resolve({ settled: false }));
    process.on('beforeExit', onDrained);
    stop = () => process.off('beforeExit', onDrained);
  });
  try {
    return await Promise.race([Promise.resolve(promise).then((value): Settled<T> => ({ settled: true, value })), drained]);
  } finally {
    stop();
  }
}
