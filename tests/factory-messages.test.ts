import { memoryStore as cacheMemoryStore, createCache } from '@rampart/cache';
import { redisStore as cacheRedisStore, redisBus } from '@rampart/cache/redis';
import { createCircuitBreaker, createCircuitBreakerRegistry } from '@rampart/circuit-breaker';
import { ConfigurationError, createErrorReporter } from '@rampart/errors';
import { createPointSet } from '@rampart/hypercube';
import { createLogger, httpRequestLogger, logEvents } from '@rampart/logger';
import { createMetrics } from '@rampart/metrics';
import { createRateLimiter, memoryStore as limiterMemoryStore } from '@rampart/rate-limiter';
import { redisStore as limiterRedisStore } from '@rampart/rate-limiter/redis';
import { backoff, createRetryBudget, createRetryPolicy } from '@rampart/retry';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

const fn = async (): Promise<number> => 1;
const logger = createLogger({ destination: { stream: { write: () => true } as never } });

/** Every factory of every package, called with something that is not its options. */
const factories: readonly [string, (input: unknown) => unknown][] = [
  ['createCache', (input) => createCache(input as never)],
  ['memoryStore', (input) => cacheMemoryStore(input as never)],
  ['redisStore', (input) => cacheRedisStore(input as never)],
  ['redisBus', (input) => redisBus(input as never)],
  ['createCircuitBreaker', (input) => createCircuitBreaker(fn, input as never)],
  ['createCircuitBreakerRegistry', (input) => createCircuitBreakerRegistry(input as never)],
  ['createErrorReporter', (input) => createErrorReporter(input as never)],
  ['createPointSet', (input) => createPointSet(input as never)],
  ['createLogger', (input) => createLogger(input as never)],
  ['logEvents', (input) => logEvents(logger, input as never)],
  ['httpRequestLogger', (input) => httpRequestLogger(logger, input as never)],
  ['createMetrics', (input) => createMetrics(input as never)],
  ['createRateLimiter', (input) => createRateLimiter(input as never)],
  ['memoryStore', (input) => limiterMemoryStore(input as never)],
  ['redisStore', (input) => limiterRedisStore(input as never)],
  ['createRetryPolicy', (input) => createRetryPolicy(input as never)],
  ['createRetryBudget', (input) => createRetryBudget(input as never)],
  ['backoff.constant', (input) => backoff.constant(input as never)],
  ['backoff.fullJitter', (input) => backoff.fullJitter(input as never)],
];

function outcome(call: () => unknown): unknown {
  try {
    call();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('every factory words misplaced or missing options the same short way', () => {
  const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });

  it('names the required options, never "the input is required"', () => {
    for (const [where, create] of factories) {
      const error = outcome(() => create(undefined));
      if (error === undefined) continue; // options are optional
      expect(error, where).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message.startsWith(`${where}: `), message).toBe(true);
      expect(message).not.toContain('the input is required');
      expect(message).toMatch(/`\w+` is required|must be an options object/);
    }
  });

  it('says a non-plain object is not options, in one short sentence (property)', () => {
    const notOptions = fc.constantFrom<unknown>(
      redis,
      new Map([['ttlMs', 1]]),
      new (class Settings {
        name = 'x';
      })(),
      () => ({ name: 'x' }),
      [1, 2, 3],
    );
    fc.assert(
      fc.property(fc.constantFrom(...factories), notOptions, ([where, create], input) => {
        const error = outcome(() => create(input));
        expect(error, where).toBeInstanceOf(ConfigurationError);
        const message = (error as Error).message;
        expect(message.startsWith(`${where}: expected a plain options object, got `), message).toBe(
          true,
        );
        expect(message.length).toBeLessThan(160);
      }),
    );
    redis.disconnect();
  });
});
