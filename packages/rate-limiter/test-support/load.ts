import type { RateLimitDecision, RateLimiter } from '../src/index.ts';

/** One call of a load run: its decision source and how long it took. */
export interface Sample {
  readonly source: RateLimitDecision['source'];
  readonly allowed: boolean;
  readonly ms: number;
}

/** A load run: workers calling `consume` back to back until stopped. */
export interface Load {
  readonly samples: Sample[];
  /** Resolves once `predicate` holds for the samples so far (checked after every call). */
  until(
    predicate: (samples: readonly Sample[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<void>;
  /** Stops the workers and waits for their last calls. */
  stop(): Promise<void>;
}

/**
 * Starts `workers` loops of `limiter.consume` on `keys` distinct keys. Timing uses the
 * monotonic clock; nothing sleeps: phases end when enough calls have been observed.
 */
export function startLoad(limiter: RateLimiter, workers = 16, keys = 64): Load {
  const samples: Sample[] = [];
  const waiters: { predicate: (samples: readonly Sample[]) => boolean; resolve: () => void }[] = [];
  let running = true;
  let next = 0;
  const notify = (): void => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(samples)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      // Yield to the event loop, as a server does between requests: a decision answered
      // locally resolves in a microtask, and a loop of those would starve every timer.
      await new Promise((resolve) => setImmediate(resolve));
      const started = performance.now();
      const decision = await limiter.consume(`user-${next++ % keys}`);
      samples.push({
        source: decision.source,
        allowed: decision.allowed,
        ms: performance.now() - started,
      });
      notify();
    }
  });
  return {
    samples,
    until(predicate, what, timeoutMs = 30_000) {
      if (predicate(samples)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`load: still waiting for ${what} after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The slowest call of `samples`, in milliseconds. */
export function slowest(samples: readonly Sample[]): number {
  let most = 0;
  for (const sample of samples) if (sample.ms > most) most = sample.ms;
  return most;
}

/** Samples after index `from` whose source is `source`. */
export function countSince(
  samples: readonly Sample[],
  from: number,
  source: Sample['source'],
): number {
  let count = 0;
  for (let index = from; index < samples.length; index++) {
    if (samples[index]?.source === source) count++;
  }
  return count;
}

/** Whether the last `count` samples all came from `source`. */
export function lastAllFrom(
  samples: readonly Sample[],
  count: number,
  source: Sample['source'],
): boolean {
  if (samples.length < count) return false;
  for (let index = samples.length - count; index < samples.length; index++) {
    if (samples[index]?.source !== source) return false;
  }
  return true;
}
