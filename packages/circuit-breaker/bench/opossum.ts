/**
 * Minimal typings of opossum 10 (which ships none; `@types/opossum` describes v8), for the
 * parts the benchmarks use. opossum is a benchmark baseline only: the package does not depend
 * on it at run time, so these types never reach the public API.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/** The subset of opossum's constructor options the benchmarks set. */
export interface OpossumOptions {
  readonly name?: string;
  /** Milliseconds, or `false` for none. @default 10000 */
  readonly timeout?: number | false;
  /** Emits `'rotate'` to rotate the buckets of every breaker that shares it. */
  readonly rotateBucketController?: EventEmitter;
  /** @default true: one interval timer per breaker emits `'snapshot'`. */
  readonly enableSnapshots?: boolean;
}

/** An opossum `CircuitBreaker`, as far as the benchmarks use it. */
export interface OpossumBreaker<Args extends unknown[], Result> {
  fire(...args: Args): Promise<Result>;
  /** Clears its timers and listeners. */
  shutdown(): void;
}

/** opossum's `CircuitBreaker` class. */
export type OpossumConstructor = new <Args extends unknown[], Result>(
  action: (...args: Args) => Promise<Result>,
  options?: OpossumOptions,
) => OpossumBreaker<Args, Result>;

/** opossum's `CircuitBreaker` class, loaded from its CommonJS entry point. */
export const CircuitBreaker: OpossumConstructor = createRequire(import.meta.url)('opossum');
