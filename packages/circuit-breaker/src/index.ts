/**
 * Circuit breakers and breaker registries with safe defaults, honest failure accounting,
 * per-call cancellation and bounded memory.
 *
 * @example
 * ```ts
 * import { createCircuitBreaker } from '@rampart/circuit-breaker';
 *
 * const users = createCircuitBreaker(
 *   async (id: string, signal: AbortSignal) => (await fetch(`https://users.internal/${id}`, { signal })).json(),
 *   { name: 'users', timeoutMs: 2_000 },
 * );
 * const user = await users.execute('42');
 * ```
 *
 * @packageDocumentation
 * @module @rampart/circuit-breaker
 */
export type {
  CircuitBreaker,
  CircuitControl,
  CircuitIsolation,
} from './circuit-breaker.ts';
export { createCircuitBreaker } from './circuit-breaker.ts';
export type { CircuitState } from './circuit-state.ts';
export { CircuitCapacityError, isDependencyFailure } from './errors.ts';
export type {
  CircuitBreakerCallEvent,
  CircuitBreakerRejectedEvent,
  CircuitBreakerStateEvent,
  CircuitCallOutcome,
  CircuitRejectionReason,
  CircuitStateChangeReason,
} from './events.ts';
export { circuitBreakerChannels } from './events.ts';
export type {
  CircuitBreakerOptions,
  CircuitBreakerPolicy,
  CircuitFallback,
  CircuitFallbackContext,
  CircuitFunction,
  Clock,
  ExecuteOptions,
} from './options.ts';
export type {
  CircuitBreakerEntryOptions,
  CircuitBreakerRegistry,
  CircuitBreakerRegistryOptions,
} from './registry.ts';
export { createCircuitBreakerRegistry } from './registry.ts';
export type { CircuitBreakerSnapshot, CircuitWindowBucket } from './snapshot.ts';
export type { CircuitBreakerStats, LatencyPercentiles } from './stats.ts';
