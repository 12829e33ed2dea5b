import { isRampartError, type RampartError, UnavailableError } from '@rampart/errors';
import type { StoreOperation } from '../channels.ts';
import type { RateLimitDecision } from '../decision.ts';
import { memoryStore } from '../memory-store.ts';
import type { RateLimitStore, StoreRequest } from '../store.ts';
import { MODE_CONSUME, MODE_PEEK, MODE_REWARD, type Mode } from './algorithms.ts';
import { type BlockCache, createBlockCache } from './block-cache.ts';
import { createDeadlines } from './deadline.ts';
import { buildDecision, syntheticDecision } from './decisions.ts';
import type { EngineSettings } from './engine-settings.ts';
import { publishFallback, publishStoreError } from './events.ts';
import { toFlat } from './layout.ts';
import { type LocalEvaluator, rawOf } from './raw-store.ts';
import { createStoreHealth } from './store-health.ts';

const OPERATIONS: Readonly<Record<Mode, StoreOperation>> = {
  [MODE_CONSUME]: 'consume',
  [MODE_PEEK]: 'peek',
  [MODE_REWARD]: 'reward',
};

/** Decisions by a store outside the process: deadline, failure policy, recovery, block cache. */
export interface RemotePath {
  /**
   * Decides `mode` for `cost` units of `key`. Resolves with the store's decision, or the
   * failure policy's when the store fails, misses the deadline or is cooling down; rejects
   * only with the signal's reason. `finish` turns a consume decision into the final one.
   */
  decide(
    key: string,
    cost: number,
    mode: Mode,
    signal: AbortSignal | undefined,
    finish: (decision: RateLimitDecision) => RateLimitDecision,
  ): Promise<RateLimitDecision>;
  /** Resets `key` in the store within the deadline, the fallback and the block cache. */
  reset(key: string, signal: AbortSignal | undefined): Promise<void>;
  /** Calls in flight. */
  readonly pending: number;
  /** Resolves once no call is in flight (each ends within the deadline). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export function createRemotePath(settings: EngineSettings): RemotePath {
  const { name, prefix, limits, compiled, store, clock, onStoreError, coolDownMs } = settings;
  const raw = rawOf(store);
  const sendsTime = store.timeSource === 'caller';
  const deadlines = createDeadlines(settings.storeTimeoutMs, `${name}: the store`);
  const health = createStoreHealth(settings.failureThreshold, coolDownMs);
  const blockCache: BlockCache | undefined =
    settings.blockCacheMaxKeys > 0 ? createBlockCache(settings.blockCacheMaxKeys) : undefined;
  let fallback: RateLimitStore | undefined;
  let fallbackEvaluator: LocalEvaluator | undefined;
  let pending = 0;
  let idle: (() => void) | undefined;

  const settled = (): void => {
    pending -= 1;
    if (pending === 0) idle?.();
  };

  const fallbackDecision = (key: string, cost: number, mode: Mode): RateLimitDecision => {
    if (onStoreError === 'fallback') {
      if (fallback === undefined) {
        fallback = memoryStore();
        fallbackEvaluator = rawOf(fallback)?.bind?.(prefix, limits);
      }
      if (fallbackEvaluator !== undefined) {
        const flat = fallbackEvaluator(key, cost, clock.now(), mode);
        return buildDecision(compiled, flat, key, cost, 'fallback');
      }
    }
    const waitMs = health.retryAfterMs(clock.now()) || coolDownMs;
    return syntheticDecision(compiled, key, cost, onStoreError !== 'deny', waitMs);
  };

  const callStore = (
    key: string,
    cost: number,
    mode: Mode,
    deadline: () => AbortSignal,
  ): Promise<ArrayLike<number>> => {
    const request: StoreRequest = {
      prefix,
      key,
      limits,
      cost,
      nowMs: sendsTime ? clock.now() : undefined,
    };
    try {
      if (raw?.evaluate !== undefined) return raw.evaluate(request, mode, deadline);
      const answer =
        mode === MODE_CONSUME
          ? store.consume(request)
          : mode === MODE_PEEK
            ? store.peek(request)
            : store.reward(request);
      return Promise.resolve(answer).then((outcome) => toFlat(outcome, limits.length));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const recordFailure = (operation: StoreOperation, key: string, cause: unknown): RampartError => {
    const error = isRampartError(cause)
      ? cause
      : new UnavailableError(`${name}: the rate-limit store failed`, {
          cause,
          captureStack: false,
        });
    const change = health.failure(clock.now());
    const failures = health.consecutiveFailures;
    publishStoreError(name, operation, error, failures, key);
    if (change === 'opened') publishFallback(name, true, onStoreError, failures, coolDownMs, error);
    return error;
  };

  const recordSuccess = (): void => {
    if (health.success() === 'recovered') {
      publishFallback(name, false, onStoreError, 0, coolDownMs, undefined);
    }
  };

  return {
    decide(key, cost, mode, signal, finish) {
      const startedAt = clock.now();
      if (mode === MODE_CONSUME) {
        const cached = blockCache?.get(key, cost, startedAt);
        if (cached !== undefined) return Promise.resolve(finish(cached));
      } else {
        blockCache?.delete(key);
      }
      const done = mode === MODE_CONSUME ? finish : (decision: RateLimitDecision) => decision;
      if (!health.admit(startedAt)) return Promise.resolve(done(fallbackDecision(key, cost, mode)));
      pending += 1;
      // Aborted when the race is lost, for a store that waits (e.g. for its connection).
      let controller: AbortController | undefined;
      const deadline = (): AbortSignal => {
        controller ??= new AbortController();
        return controller.signal;
      };
      return new Promise((resolve, reject) => {
        deadlines.race(callStore(key, cost, mode, deadline), signal, {
          resolve(flat) {
            settled();
            recordSuccess();
            const decision = buildDecision(compiled, flat, key, cost, 'store');
            if (!decision.allowed && mode === MODE_CONSUME) {
              blockCache?.set(key, decision, startedAt);
            }
            resolve(done(decision));
          },
          reject(error) {
            settled();
            controller?.abort(error);
            if (signal?.aborted === true && error === signal.reason) {
              health.abandon();
              reject(error);
              return;
            }
            recordFailure(OPERATIONS[mode], key, error);
            resolve(done(fallbackDecision(key, cost, mode)));
          },
        });
      });
    },
    async reset(key, signal) {
      blockCache?.delete(key);
      await fallback?.reset({ prefix, key, limits });
      pending += 1;
      const work = Promise.resolve().then(() => store.reset({ prefix, key, limits }));
      await new Promise<void>((resolve, reject) => {
        deadlines.race(work, signal, {
          resolve() {
            settled();
            recordSuccess();
            resolve();
          },
          reject(error) {
            settled();
            if (signal?.aborted === true && error === signal.reason) reject(error);
            else reject(recordFailure('reset', key, error));
          },
        });
      });
    },
    get pending() {
      return pending;
    },
    drained() {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const previous = idle;
        idle = () => {
          idle = undefined;
          previous?.();
          resolve();
        };
      });
    },
    async close() {
      blockCache?.clear();
      await fallback?.close();
    },
  };
}
