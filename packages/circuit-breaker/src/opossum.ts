/**
 * Interop with opossum 10 breakers already in a codebase: publish their events on Rampart's
 * channels and map their rejections to Rampart errors, on the way to `createCircuitBreaker`.
 * opossum is an optional peer dependency: only this entry point works with it.
 *
 * @packageDocumentation
 * @module @rampart/circuit-breaker/opossum
 */
export type { InstrumentOpossumOptions } from './instrument-opossum.ts';
export { instrumentOpossum } from './instrument-opossum.ts';
export type { OpossumBreakerLike } from './opossum-breaker.ts';
export { toRampartError } from './opossum-errors.ts';
