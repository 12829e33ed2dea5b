/**
 * Exact rate limits for Node.js services: GCRA, fixed-window, sliding-window and token-bucket
 * limits, several at once (all or nothing), in memory or in Redis (one round trip per
 * decision), with deadlines, fallback, block cache, shadow mode, diagnostics-channel events
 * and IETF `RateLimit` headers.
 *
 * @example
 * ```ts
 * import { createRateLimiter, rateLimitHeaders } from '@rampart/rate-limiter';
 *
 * const limiter = createRateLimiter({ limits: [{ name: 'minute', limit: 60, windowMs: 60_000 }] });
 * const decision = await limiter.consume('user-42');
 * const headers = rateLimitHeaders(decision); // RateLimit-Policy, RateLimit, Retry-After
 * ```
 *
 * @packageDocumentation
 * @module @rampart/rate-limiter
 */

export type { StoreGuardSettings, StoreHealth, StoreState, StoreStateEvent } from '@rampart/redis';
export type { HeaderTarget } from './apply-rate-limit-headers.ts';
export { applyRateLimitHeaders } from './apply-rate-limit-headers.ts';
export type {
  RateLimiterDecisionEvent,
  RateLimiterFallbackEvent,
  RateLimiterStoreErrorEvent,
  StoreErrorPolicy,
  StoreOperation,
} from './channels.ts';
export { rateLimiterChannels } from './channels.ts';
export type { ClientIpOptions, ClientRequestLike, TrustProxy } from './client-ip.ts';
export { clientIp } from './client-ip.ts';
export type { DecisionSource, PolicyDecision, RateLimitDecision } from './decision.ts';
export type { IpKeyOptions } from './ip-key.ts';
export { ipKey } from './ip-key.ts';
export type { LimitDefinition, RateLimitAlgorithm, ResolvedLimit } from './limits.ts';
export { defaultLimits } from './limits.ts';
export type { MemoryStoreOptions } from './memory-store.ts';
export { memoryStore } from './memory-store.ts';
export type { RateLimitHeaderFormat, RateLimitHeadersOptions } from './rate-limit-headers.ts';
export { rateLimitHeaders } from './rate-limit-headers.ts';
export { rateLimitedError } from './rate-limited-error.ts';
export type {
  CallOptions,
  ConsumeOptions,
  RateLimiter,
  RateLimiterOptions,
} from './rate-limiter.ts';
export { createRateLimiter } from './rate-limiter.ts';
export type {
  LimitOutcome,
  RateLimitStore,
  StoreOutcome,
  StoreRequest,
  StoreResetRequest,
} from './store.ts';
