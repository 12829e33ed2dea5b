import { isRampartError, type RampartError, UnavailableError } from '@rampart/errors';
import { createStoreGuard, type StoreGuard, type StoreHealth } from '@rampart/redis';
import { rateLimiterChannels, type StoreOperation } from '../channels.ts';
import type { RateLimitDecision } from '../decision.ts';
import { memoryStore } from '../memory-store.ts';
import type { RateLimitStore, StoreRequest } from '../store.ts';
import { createBanList, withBans } from './admission/bans.ts';
import { MODE_CONSUME, MODE_PEEK, MODE_REWARD, type Mode } from './algorithms.ts';
import { type BlockCache, createBlockCache } from './block-cache.ts';
import { buildDecision, syntheticDecision } from './decisions.ts';
import type { EngineSettings } from './engine-settings.ts';
import { publishFallback, publishStoreError } from './events.ts';
import { toFlat } from './layout.ts';
import { type LocalEvaluator, rawOf } from './raw-store.ts';

const OPERATIONS: Readonly<Record<Mode, StoreOperation>> = {
  [MODE_CONSUME]: 'consume',
  [MODE_PEEK]: 'peek',
  [MODE_REWARD]: 'reward',
};

/** Decisions by a store outside the process: store guard, failure policy, block cache. */
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
  /** The store's health as its guard reports it. */
  health(): StoreHealth;
  /** Resolves once no call is in flight (each ends within the deadline). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export function createRemotePath(settings: EngineSettings): RemotePath {
  const { name, prefix, limits, compiled, store, clock, onStoreError } = settings;
  const { coolDownMs } = settings.storeGuard;
  const { blockDurationMs } = settings;
  /** Bans the fallback decides while the store is failing (the store keeps its own). */
  const fallbackBans = createBanList();
  const raw = rawOf(store);
  const sendsTime = store.timeSource === 'caller';
  const ping = store.ping;
  const guard: StoreGuard = createStoreGuard({
    name,
    component: 'rate-limiter',
    ...settings.storeGuard,
    ...(ping === undefined ? {} : { ping: (signal: AbortSignal) => ping.call(store, signal) }),
    channel: rateLimiterChannels.storeState,
    label: `${name}: the store`,
    clock,
    onFailure(failure) {
      if (failure.key !== undefined) {
        publishStoreError(
          name,
          failure.operation as StoreOperation,
          failure.error,
          failure.health.consecutiveFailures,
          failure.key,
        );
      }
    },
    onStateChange(event) {
      if (event.from === 'healthy' && event.to === 'cooling-down') {
        publishFallback(
          name,
          true,
          onStoreError,
          event.health.consecutiveFailures,
          coolDownMs,
          event.error,
        );
      } else if (event.to === 'healthy') {
        publishFallback(name, false, onStoreError, 0, coolDownMs, undefined);
      }
    },
  });
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
        if (fallbackEvaluator !== undefined && blockDurationMs > 0) {
          fallbackEvaluator = withBans(
            fallbackEvaluator,
            fallbackBans,
            limits.length,
            blockDurationMs,
          );
        }
      }
      if (fallbackEvaluator !== undefined) {
        const flat = fallbackEvaluator(key, cost, clock.now(), mode);
        return buildDecision(compiled, flat, key, cost, 'fallback');
      }
    }
    const waitMs = guard.health().retryAfterMs || coolDownMs;
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
    if (raw?.evaluate !== undefined) return raw.evaluate(request, mode, blockDurationMs, deadline);
    const answer =
      mode === MODE_CONSUME
        ? store.consume(request)
        : mode === MODE_PEEK
          ? store.peek(request)
          : store.reward(request);
    return Promise.resolve(answer).then((outcome) => toFlat(outcome, limits.length));
  };

  return {
    async decide(key, cost, mode, signal, finish) {
      const startedAt = clock.now();
      if (mode === MODE_CONSUME) {
        const cached = blockCache?.get(key, cost, startedAt);
        if (cached !== undefined) return finish(cached);
      } else {
        blockCache?.delete(key);
      }
      const done = mode === MODE_CONSUME ? finish : (decision: RateLimitDecision) => decision;
      pending += 1;
      const outcome = await guard.run(
        OPERATIONS[mode],
        (storeSignal) => callStore(key, cost, mode, () => storeSignal),
        {
          key,
          signal,
        },
      );
      settled();
      if (outcome.ok) {
        const decision = buildDecision(compiled, outcome.value, key, cost, 'store');
        if (!decision.allowed && mode === MODE_CONSUME) blockCache?.set(key, decision, startedAt);
        return done(decision);
      }
      if (outcome.reason === 'aborted') throw outcome.error;
      return done(fallbackDecision(key, cost, mode));
    },
    async reset(key, signal) {
      blockCache?.delete(key);
      fallbackBans.delete(key);
      await fallback?.reset({ prefix, key, limits });
      pending += 1;
      const outcome = await guard.run('reset', () => store.reset({ prefix, key, limits }), {
        key,
        signal,
      });
      settled();
      if (outcome.ok) return;
      if (outcome.reason === 'skipped') throw coolingDown(name, guard.health());
      throw outcome.reason === 'aborted' ? outcome.error : asRampartError(outcome.error);
    },
    health: () => guard.health(),
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
      guard.close();
      blockCache?.clear();
      fallbackBans.clear();
      await fallback?.close();
    },
  };
}

/** The error of a reset while the store is skipped. */
function coolingDown(name: string, health: StoreHealth): UnavailableError {
  return new UnavailableError(
    `${name}: the store is cooling down after ${health.consecutiveFailures} failures; the next probe is in ${health.retryAfterMs} ms`,
    { captureStack: false, context: { retryAfterMs: health.retryAfterMs } },
  );
}

function asRampartError(error: unknown): RampartError {
  return isRampartError(error)
    ? error
    : new UnavailableError('the rate-limit store failed', { cause: error, captureStack: false });
}
