import type { BenchCase } from '../compare-types.ts';
import {
  type AsyncRunner,
  createAsyncRunner,
  createSyncRunner,
  isThenable,
  nanosecondsSince,
  type Sink,
  type SyncRunner,
} from './runner.ts';

/** Receives every result, so the work cannot be optimised away; cleared by {@link releaseSink}. */
const sink: Sink = { value: undefined };

/**
 * The one loop every case measured through the shared call site goes through, as an
 * application's code calls whichever function it was handed: V8 sees every case there.
 */
const sharedSyncRunner: SyncRunner = createSyncRunner();
const sharedAsyncRunner: AsyncRunner = createAsyncRunner();

/** A case being measured: its loop, its batch size and the ns/op of every measured round. */
export interface Contender {
  readonly name: string;
  /** Whether the case runs in a loop of its own or through the shared one. */
  readonly callSite: 'own' | 'shared';
  /** Whether calls are awaited; decided by what the first call returned. */
  readonly async: boolean;
  /** Calls per batch; calibration sets it. */
  calls: number;
  /** Nanoseconds per call, one entry per measured round. */
  readonly samples: number[];
  /** Runs one batch of `calls` calls and returns its length in nanoseconds. */
  timeBatch(calls: number): Promise<number>;
}

/**
 * Prepares a case for measuring: calls it once to learn whether it is asynchronous and
 * builds its private loop, or takes the shared one. `setup` must already have run.
 *
 * @throws {Error} naming the case when its first call throws or rejects.
 */
export async function createContender(
  benchCase: BenchCase,
  title: string,
  callSite: 'own' | 'shared' = 'own',
): Promise<Contender> {
  const { name, fn } = benchCase;
  const fail = (cause: unknown): Error =>
    new Error(`compare(${JSON.stringify(title)}): case ${JSON.stringify(name)} failed`, { cause });
  let first: unknown;
  try {
    first = fn();
    if (isThenable(first)) await first;
  } catch (cause) {
    throw fail(cause);
  }
  const async = isThenable(first);
  const shared = callSite === 'shared';
  const syncRunner: SyncRunner | undefined = async
    ? undefined
    : shared
      ? sharedSyncRunner
      : createSyncRunner();
  const asyncRunner: AsyncRunner | undefined = !async
    ? undefined
    : shared
      ? sharedAsyncRunner
      : createAsyncRunner();

  async function timeBatch(calls: number): Promise<number> {
    try {
      if (asyncRunner !== undefined) {
        const start = process.hrtime.bigint();
        sink.value = await asyncRunner(fn, calls);
        return nanosecondsSince(start);
      }
      const start = process.hrtime.bigint();
      const last = syncRunner?.(fn, calls, sink);
      const elapsed = nanosecondsSince(start);
      if (isThenable(last)) {
        sink.value = undefined;
        await last;
        throw new Error(
          'it returned a promise after its first call returned a plain value; make it consistently async',
        );
      }
      return elapsed;
    } catch (cause) {
      throw fail(cause);
    }
  }

  return { name, callSite, async, calls: 1, samples: [], timeBatch };
}

/**
 * Finds how many calls make one batch last about `batchNs`: grows the batch from `minCalls`
 * until it is long enough, warms the code up for `warmupNs`, then fine-tunes the count from
 * the warmed-up speed (so the JIT's speed-up does not leave batches far too short).
 * Returns the warmed-up nanoseconds per call.
 */
export async function calibrate(
  contender: Contender,
  batchNs: number,
  warmupNs: number,
  minCalls: number,
): Promise<number> {
  let calls = minCalls;
  for (;;) {
    const elapsed = await contender.timeBatch(calls);
    if (elapsed >= batchNs || calls >= 2 ** 30) break;
    const factor = elapsed > 0 ? batchNs / elapsed : 10;
    calls = Math.ceil(calls * Math.min(10, Math.max(2, factor)));
  }
  const perCall: number[] = [];
  const warmupStart = process.hrtime.bigint();
  while (perCall.length < 3 || nanosecondsSince(warmupStart) < warmupNs) {
    perCall.push((await contender.timeBatch(calls)) / calls);
  }
  const recent = perCall.slice(-3).sort((a, b) => a - b);
  const nsPerCall = Math.max(recent[1] ?? 1, 1e-3);
  contender.calls = Math.max(minCalls, Math.round(batchNs / nsPerCall), 1);
  return nsPerCall;
}

/** Forgets the last kept result (for tests and long-lived processes). */
export function releaseSink(): void {
  sink.value = undefined;
}
