/**
 * Redis connection helpers (recommended client options, waiting for `ready`, a safe close)
 * and the store guard (deadline, failures, cool-down, probe, recovery) shared by
 * `@rampart/cache` and `@rampart/rate-limiter`.
 *
 * @packageDocumentation
 */
export {};
