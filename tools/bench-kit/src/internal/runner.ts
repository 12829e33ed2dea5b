/** Where a runner stores every result, so V8 cannot drop work whose result looks unused. */
export interface Sink {
  value: unknown;
}

/** Calls `fn` `calls` times in a row, storing each result in `sink`, and returns the last. */
export type SyncRunner = (fn: () => unknown, calls: number, sink: Sink) => unknown;

/** Calls `fn` `calls` times, awaiting each call before the next, and returns the last result. */
export type AsyncRunner = (fn: () => unknown, calls: number) => Promise<unknown>;

const AsyncFunction = (async () => {}).constructor as new (
  ...parameterNamesAndBody: string[]
) => AsyncRunner;

/**
 * A fresh loop for one case. Each case gets its own compiled function, so its call site only
 * ever sees that case's `fn` and V8 optimises it as it would in real code; one loop shared by
 * every case would turn megamorphic and penalise whichever cases ran after the first.
 * Every result is stored on `sink` (a heap write V8 must keep): without it an inlined,
 * side-effect-free `fn` whose result is overwritten each iteration could be optimised away.
 */
export function createSyncRunner(): SyncRunner {
  return new Function(
    'fn',
    'calls',
    'sink',
    'for (let i = 0; i < calls; i++) sink.value = fn(); return sink.value;',
  ) as SyncRunner;
}

/** Like {@link createSyncRunner}, awaiting every call in turn. */
export function createAsyncRunner(): AsyncRunner {
  return new AsyncFunction(
    'fn',
    'calls',
    'let result; for (let i = 0; i < calls; i++) result = await fn(); return result;',
  );
}

/** Whether `value` is a promise or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Elapsed nanoseconds since `start` (a `process.hrtime.bigint()` reading). */
export function nanosecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}
