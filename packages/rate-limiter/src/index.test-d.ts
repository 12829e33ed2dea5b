import { describe, expectTypeOf, it } from 'vitest';
import {
  createRateLimiter,
  type DecisionSource,
  type LimitDefinition,
  memoryStore,
  type PolicyDecision,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitStore,
  rateLimitedError,
  rateLimiterChannels,
  rateLimitHeaders,
  type StoreHealth,
} from './index.ts';
import { redisStore } from './redis.ts';
import { type StoreConformanceCheck, storeConformanceChecks } from './test-suite.ts';

describe('public types', () => {
  it('consume resolves to a decision and takes a cost, a signal and a maximum wait', () => {
    const limiter = createRateLimiter();
    expectTypeOf(limiter).toEqualTypeOf<RateLimiter>();
    expectTypeOf(limiter.consume).parameter(1).toEqualTypeOf<
      | {
          readonly cost?: number | undefined;
          readonly signal?: AbortSignal | undefined;
          readonly maxWaitMs?: number | undefined;
        }
      | undefined
    >();
    expectTypeOf(limiter.consume('a')).resolves.toEqualTypeOf<RateLimitDecision>();
    expectTypeOf<RateLimitDecision['source']>().toEqualTypeOf<DecisionSource>();
    expectTypeOf<RateLimitDecision['policies']>().toEqualTypeOf<readonly PolicyDecision[]>();
  });

  it('limits name their algorithm from a closed set', () => {
    expectTypeOf<LimitDefinition['algorithm']>().toEqualTypeOf<
      'gcra' | 'fixed-window' | 'sliding-window' | 'token-bucket' | undefined
    >();
    // @ts-expect-error an unknown algorithm does not type-check
    createRateLimiter({ limits: [{ name: 'm', limit: 1, windowMs: 1, algorithm: 'leaky' }] });
  });

  it('stores share one interface', () => {
    expectTypeOf(memoryStore()).toEqualTypeOf<RateLimitStore>();
    expectTypeOf(redisStore).returns.toEqualTypeOf<RateLimitStore>();
    expectTypeOf(storeConformanceChecks).returns.toEqualTypeOf<readonly StoreConformanceCheck[]>();
  });

  it('reports the store health in the shared store-guard shape', () => {
    const limiter = createRateLimiter({ storeGuard: { timeoutMs: 20 } });
    expectTypeOf(limiter.state()).toEqualTypeOf<StoreHealth>();
    expectTypeOf<StoreHealth>().toEqualTypeOf<{
      readonly state: 'healthy' | 'cooling-down' | 'probing';
      readonly consecutiveFailures: number;
      readonly changedAt: number;
      readonly retryAfterMs: number;
    }>();
    expectTypeOf(
      rateLimiterChannels.storeState,
    ).toEqualTypeOf<'rampart:rate-limiter:store-state'>();
  });

  it('helpers take decisions', () => {
    expectTypeOf(rateLimitHeaders).returns.toEqualTypeOf<Record<string, string>>();
    expectTypeOf(rateLimitedError).parameter(0).toEqualTypeOf<RateLimitDecision>();
    expectTypeOf(rateLimiterChannels.decision).toEqualTypeOf<'rampart:rate-limiter:decision'>();
  });
});

describe('edge helpers', () => {
  it('applyRateLimitHeaders takes a node:http response; clientIp an IncomingMessage', async () => {
    const { applyRateLimitHeaders, clientIp } = await import('./index.ts');
    type Response = import('node:http').ServerResponse;
    type Request = import('node:http').IncomingMessage;
    expectTypeOf<Response>().toExtend<Parameters<typeof applyRateLimitHeaders>[0]>();
    expectTypeOf<Request>().toExtend<Parameters<typeof clientIp>[0]>();
    expectTypeOf(clientIp).returns.toEqualTypeOf<string>();
  });
});
