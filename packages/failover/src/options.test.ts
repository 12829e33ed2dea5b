import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFailover } from './failover.ts';
import type { FailoverOptions } from './options.ts';
import { healthy } from './test-support.ts';

function attempt(options: unknown): ConfigurationError {
  try {
    createFailover(options as FailoverOptions<string, string>);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('createFailover accepted invalid options');
}

const provider = healthy('a', 1);

describe('createFailover options', () => {
  it.each([
    [undefined, '`name` is required'],
    [{ providers: [provider] }, '`name`'],
    [{ name: 'x', providers: [] }, '`providers` must be a non-empty array'],
    [{ name: 'x', providers: [{ name: 'a' }] }, '`providers[0].call` is required'],
    [{ name: 'x', providers: [{ ...provider, weight: -1 }] }, '`providers[0].weight`'],
    [{ name: 'x', providers: [{ ...provider, priority: Number.NaN }] }, '`providers[0].priority`'],
    [{ name: 'x', providers: [provider, provider] }, '`providers[1].name` must be unique'],
    [{ name: 'x', providers: [provider], strategy: 'fastest' }, '`strategy`'],
    [{ name: 'x', providers: [provider], explorationRate: 2 }, '`explorationRate`'],
    [{ name: 'x', providers: [provider], hedge: { delayMs: 'p42' } }, '`hedge.delayMs`'],
    [{ name: 'x', providers: [provider], hedge: { delayMs: 0 } }, '`hedge.delayMs`'],
    [
      { name: 'x', providers: [provider], hedge: { delayMs: 5, maxHedges: 0 } },
      '`hedge.maxHedges`',
    ],
    [{ name: 'x', providers: [provider], retryBudget: true }, '`retryBudget`'],
    [{ name: 'x', providers: [provider], lastResort: 'cached' }, '`lastResort`'],
    [{ name: 'x', providers: [provider], clock: Date }, '`clock`'],
    [{ name: 'x', providers: [provider], typo: 1 }, 'typo'],
    [{ name: 'x', providers: [provider], breaker: { timeoutMs: -1 } }, '`breaker.timeoutMs`'],
    [
      { name: 'x', providers: [{ ...provider, breaker: { volumeThreshold: 0 } }] },
      '`providers[0].breaker.volumeThreshold`',
    ],
  ])('names the bad field: %j', (options, field) => {
    const error = attempt(options);
    expect(error.message).toMatch(/^createFailover: /);
    expect(error.message).toContain(field);
  });

  it('never throws anything but a ConfigurationError for arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (name, providers) => {
        fc.pre(!(typeof name === 'string' && Array.isArray(providers)));
        attempt({ name, providers });
      }),
    );
  });

  it('accepts a minimal configuration and every option', async () => {
    const minimal = createFailover({ name: 'minimal', providers: [provider] });
    const full = createFailover({
      name: 'full',
      providers: [
        { ...healthy('a', 1), weight: 2, priority: 1, breaker: { timeoutMs: 500 } },
        healthy('b', 1),
      ],
      strategy: 'least-latency',
      explorationRate: 0.1,
      random: Math.random,
      breaker: { volumeThreshold: 5 },
      hedge: { delayMs: 'p95', maxHedges: 2, minSamples: 10 },
      retryBudget: false,
      lastResort: () => 'stale',
      classify: () => 'next',
      clock: { now: () => Date.now() },
    });
    expect(minimal.state().providers.map((entry) => entry.name)).toEqual(['a']);
    expect(full.state().providers.map((entry) => entry.name)).toEqual(['a', 'b']);
    await minimal.dispose();
    await full.dispose();
  });
});
