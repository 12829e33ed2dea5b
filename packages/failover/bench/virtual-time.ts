/**
 * Virtual time for the simulations: while installed, `setTimeout`, `clearTimeout` and
 * `Date.now` are replaced by a clock that only moves when {@link VirtualTime.runUntil} jumps
 * to the next timer. The real library code (breakers, budgets, hedge timers, p-retry's waits)
 * runs unchanged, an 80 s outage takes milliseconds, and results do not depend on the machine.
 */

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** A handle like Node's `Timeout`, enough for the code under test (`unref`, `ref`, `hasRef`). */
class VirtualTimeout {
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }
  unref(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realDateNow = Date.now;
const realSetImmediate = globalThis.setImmediate;

/** Lets every pending promise reaction run (a real macrotask drains the microtask queue). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

export class VirtualTime {
  #now = 0;
  #nextId = 1;
  #timers: Timer[] = [];

  /** Milliseconds of virtual time since {@link VirtualTime.install}. */
  now(): number {
    return this.#now;
  }

  /** Replaces the global timers and `Date.now` with this clock. */
  install(): void {
    const schedule = (
      callback: (...args: unknown[]) => void,
      delayMs?: number,
      ...args: unknown[]
    ) => {
      const id = this.#nextId++;
      const at = this.#now + Math.max(0, Number(delayMs) || 0);
      const timer = { id, at, callback: () => callback(...args) };
      // Keep the queue sorted by time, then by creation (stable for equal times).
      let index = this.#timers.length;
      while (index > 0 && (this.#timers[index - 1]?.at ?? 0) > at) index--;
      this.#timers.splice(index, 0, timer);
      return new VirtualTimeout(id);
    };
    const cancel = (handle: unknown): void => {
      const id = handle instanceof VirtualTimeout ? handle.id : Number(handle);
      const index = this.#timers.findIndex((timer) => timer.id === id);
      if (index >= 0) this.#timers.splice(index, 1);
    };
    globalThis.setTimeout = schedule as unknown as typeof setTimeout;
    globalThis.clearTimeout = cancel as unknown as typeof clearTimeout;
    Date.now = () => this.#now;
  }

  /** Restores the real timers and clock. */
  uninstall(): void {
    globalThis.setTimeout = realSetTimeout;
    globalThis.clearTimeout = realClearTimeout;
    Date.now = realDateNow;
  }

  /** Runs every timer due up to `untilMs` in time order, letting promises settle after each. */
  async runUntil(untilMs: number): Promise<void> {
    await drainMicrotasks();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > untilMs) break;
      this.#timers.shift();
      this.#now = next.at;
      next.callback();
      await drainMicrotasks();
    }
    this.#now = Math.max(this.#now, untilMs);
  }

  /** Runs timers until none is left (or `limitMs` of virtual time passed). */
  async runAll(limitMs: number = 10 * 60_000): Promise<void> {
    await this.runUntil(this.#now + limitMs);
  }
}

/** A seeded pseudo-random generator (mulberry32): the same seed always gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Resolves after `delayMs` of (virtual) time, rejecting with the signal's reason on abort. */
export function delay(delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Nearest-rank percentile of `values` (0–1). */
export function percentile(values: readonly number[], quantile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] ?? 0;
}

/** The mean of `values`; 0 when empty. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
