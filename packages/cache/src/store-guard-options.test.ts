import { ConfigurationError, ValidationError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { type CacheOptions, createCache } from './index.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const TOO_LONG = 2 ** 31;

describe('storeGuard and the deprecated l2* names', () => {
  it('keeps l2TimeoutMs, l2FailureThreshold and l2CooldownMs working', async () => {
    const l2 = memoryL2();
    const cache = createCache({
      ttlMs: 1000,
      l2,
      l2TimeoutMs: 30,
      l2FailureThreshold: 2,
      l2CooldownMs: 700,
    });
    l2.mode = 'hang';
    const pending = cache.get('a');
    await vi.advanceTimersByTimeAsync(30);
    await pending;
    expect(cache.stats().l2).toMatchObject({ timeouts: 1, state: 'healthy' });
    await Promise.all([cache.get('b'), vi.advanceTimersByTimeAsync(30)]);
    expect(cache.stats().l2.health).toMatchObject({
      state: 'cooling-down',
      consecutiveFailures: 2,
      retryAfterMs: 700,
    });
  });

  it.each([
    ['l2TimeoutMs', { l2TimeoutMs: 10, storeGuard: { timeoutMs: 10 } }],
    ['l2FailureThreshold', { l2FailureThreshold: 2, storeGuard: { failureThreshold: 2 } }],
    ['l2CooldownMs', { l2CooldownMs: 10, storeGuard: { coolDownMs: 10 } }],
  ] as const)('rejects %s set together with its storeGuard name', (field, options) => {
    const make = () => createCache({ ttlMs: 1000, l2: memoryL2(), ...options });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(`\`${field}\``);
  });

  it('reports the health of an absent L2 as undefined', () => {
    const cache = createCache({ ttlMs: 1000 });
    expect(cache.stats().l2).toMatchObject({ state: 'absent', health: undefined });
  });
});

describe('durations of 2^31 ms or more', () => {
  const fields: [string, Partial<CacheOptions>][] = [
    ['ttlMs', { ttlMs: TOO_LONG }],
    ['graceMs', { graceMs: TOO_LONG }],
    ['graceBackoffMs', { graceBackoffMs: TOO_LONG }],
    ['softTimeoutMs', { softTimeoutMs: TOO_LONG }],
    ['hardTimeoutMs', { hardTimeoutMs: TOO_LONG }],
    ['storeGuard.timeoutMs', { storeGuard: { timeoutMs: TOO_LONG } }],
    ['storeGuard.coolDownMs', { storeGuard: { coolDownMs: TOO_LONG } }],
    ['l2TimeoutMs', { l2TimeoutMs: TOO_LONG }],
    ['l2CooldownMs', { l2CooldownMs: TOO_LONG }],
    ['busDownTtlMs', { busDownTtlMs: TOO_LONG }],
    ['distributedLock.leaseMs', { distributedLock: { leaseMs: TOO_LONG } }],
    ['distributedLock.pollMs', { distributedLock: { pollMs: TOO_LONG } }],
  ];

  it.each(fields)('rejects %s with a ConfigurationError naming it', (field, options) => {
    const make = () =>
      createCache({ ttlMs: 1000, l2: memoryL2({ features: true }), ...options } as CacheOptions);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(`\`${field}\``);
  });

  it('accepts 2^31 - 1 ms', () => {
    expect(() => createCache({ ttlMs: 2 ** 31 - 1, graceMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it.each(['ttlMs', 'graceMs', 'softTimeoutMs', 'hardTimeoutMs'])(
    'rejects a call option %s of 2^31 ms with a ValidationError naming it',
    async (field) => {
      const cache = createCache({ ttlMs: 1000 });
      const call = cache.getOrSet('k', () => 1, { [field]: TOO_LONG });
      await expect(call).rejects.toBeInstanceOf(ValidationError);
      await expect(cache.getOrSet('k', () => 1, { [field]: TOO_LONG })).rejects.toThrow(
        `\`options.${field}\``,
      );
    },
  );
});
