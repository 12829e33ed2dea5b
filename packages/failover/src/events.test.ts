import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ValidationError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failoverChannels } from './events.ts';
import { createFailover } from './failover.ts';
import { dead, healthy, simulated, track } from './test-support.ts';

const seen: { channel: string; event: Record<string, unknown> }[] = [];
const listeners = Object.values(failoverChannels).map((channel) => {
  const listener = (message: unknown): void => {
    seen.push({ channel, event: message as Record<string, unknown> });
  };
  return [channel, listener] as const;
});

beforeEach(() => {
  vi.useFakeTimers();
  seen.length = 0;
  for (const [channel, listener] of listeners) subscribe(channel, listener);
});
afterEach(() => {
  for (const [channel, listener] of listeners) unsubscribe(channel, listener);
  vi.useRealTimers();
});

describe('events', () => {
  it('publishes each attempt with its outcome, skipped providers, exhaustion and the last resort', async () => {
    const failover = createFailover({
      name: 'events',
      breaker: { volumeThreshold: 1, resetTimeoutMs: 10_000 },
      providers: [dead('a', 5), dead('b', 5)],
      lastResort: () => 'stale',
    });
    const first = track(failover.execute('1'));
    await vi.advanceTimersByTimeAsync(10);
    const second = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(0);
    expect([first.value, second.value]).toEqual(['stale', 'stale']);
    expect(seen.map(({ channel, event }) => [channel, event.provider ?? event.reason])).toEqual([
      [failoverChannels.attempt, 'a'],
      [failoverChannels.attempt, 'b'],
      [failoverChannels.exhausted, 'all-failed'],
      [failoverChannels.fallbackUsed, 'all-failed'],
      [failoverChannels.providerSkipped, 'a'],
      [failoverChannels.providerSkipped, 'b'],
      [failoverChannels.exhausted, 'all-unavailable'],
      [failoverChannels.fallbackUsed, 'all-unavailable'],
    ]);
    expect(seen[0]?.event).toMatchObject({
      name: 'events',
      attempt: 1,
      hedge: false,
      outcome: 'failure',
      durationMs: 5,
      code: undefined,
    });
    expect(seen[4]?.event).toMatchObject({ reason: 'open', availability: 'open' });
    expect(seen[6]?.event).toMatchObject({ attempts: 0, lastResort: true });
    await failover.dispose();
  });

  it('labels a stopping error, a success and an aborted hedge loser', async () => {
    const failover = createFailover({
      name: 'outcomes',
      hedge: { delayMs: 10 },
      providers: [
        simulated('a', (input) =>
          input === 'bad' ? { delayMs: 1, error: new ValidationError('bad') } : { delayMs: 50 },
        ),
        healthy('b', 5),
      ],
    });
    const bad = track(failover.execute('bad'));
    await vi.advanceTimersByTimeAsync(2);
    expect(bad.rejected).toBe(true);
    const good = track(failover.execute('good'));
    await vi.advanceTimersByTimeAsync(20);
    expect(good.value).toBe('b:good');
    const outcomes = seen
      .filter(({ channel }) => channel === failoverChannels.attempt)
      .map(({ event }) => [event.provider, event.outcome, event.hedge]);
    expect(outcomes).toEqual([
      ['a', 'stopped', false],
      ['b', 'success', true],
      ['a', 'aborted', false],
    ]);
    expect(seen.find(({ channel }) => channel === failoverChannels.hedge)?.event).toEqual({
      name: 'outcomes',
      waitingOn: 'a',
      provider: 'b',
      delayMs: 10,
      hedge: 1,
    });
    await failover.dispose();
  });
});
