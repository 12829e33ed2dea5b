/**
 * Redis connection helpers (recommended client options, waiting for `ready`, a safe close)
 * and the store guard (deadline, failures, cool-down, probe, recovery) shared by
 * `@rampart/cache` and `@rampart/rate-limiter`.
 *
 * @packageDocumentation
 * @module @rampart/redis
 */

export { createStoreGuard } from './store-guard.ts';
export type {
  StoreCallOptions,
  StoreGuard,
  StoreGuardOptions,
  StoreGuardSettings,
} from './store-guard-options.ts';
export { MAX_DURATION_MS } from './store-guard-options.ts';
export type {
  StoreCallOutcome,
  StoreFailure,
  StoreHealth,
  StoreState,
  StoreStateEvent,
} from './store-state.ts';
