import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryBus } from '../test-support/memory-bus.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { type CacheReplayEvent, cacheChannels } from './channels.ts';
import { createCache } from './create-cache.ts';
import { JOURNAL_MAX_ENTRIES } from './internal/l2-guard.ts';

let replays: CacheReplayEvent[] = [];
const collect = (message: unknown): void => {
  replays.push(message as CacheReplayEvent);
};

beforeEach(() => {
  vi.useFakeTimers();
  replays = [];
  subscribe(cacheChannels.replay, collect);
});
afterEach(() => {
  unsubscribe(cacheChannels.replay, collect);
  vi.useRealTimers();
});

const guard = { timeoutMs: 50, failureThreshold: 1, coolDownMs: 500 } as const;

/** Two caches on one L2 (no bus): `writer` makes changes during an outage, `reader` checks L2. */
function pair(features = false) {
  const l2 = memoryL2({ withPing: true, features });
  const writer = createCache({ ttlMs: 60_000, l2, storeGuard: guard });
  const reader = createCache({ ttlMs: 60_000, l2, l1: false, storeGuard: guard });
  return { l2, writer, reader };
}

/** Takes L2 down until `writer` cools down. */
async function outage(l2: ReturnType<typeof memoryL2>, cache: ReturnType<typeof createCache>) {
  l2.mode = 'fail';
  await cache.get('probe-outage');
  expect(cache.stats().l2.state).toBe('cooling-down');
}

describe('writes while L2 is skipped', () => {
  it('deletes keys set or deleted during the outage from L2 before it is healthy again', async () => {
    const { l2, writer, reader } = pair();
    await writer.set('changed', 'old');
    await writer.set('removed', 'old');
    await writer.set('untouched', 'same');
    await outage(l2, writer);
    await writer.set('changed', 'new');
    await writer.delete('removed');
    expect(await writer.get('changed')).toBe('new');
    l2.mode = 'ok';
    const before = l2.calls.length;
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(writer.stats().l2.state).toBe('healthy');
    expect(l2.calls.slice(before)).toEqual(['ping', 'delete default:changed,removed']);
    expect(await reader.get('changed')).toBeUndefined();
    expect(await reader.get('removed')).toBeUndefined();
    expect(await reader.get('untouched')).toBe('same');
    expect(replays).toEqual([
      {
        name: 'default',
        namespace: 'default',
        keys: 2,
        tags: 0,
        overflowed: false,
        cleared: false,
      },
    ]);
    expect(writer.stats().l2.replays).toBe(1);
  });

  it('publishes the replayed keys on the bus when L2 is back', async () => {
    const l2 = memoryL2({ withPing: true });
    const bus = memoryBus();
    const writer = createCache({ ttlMs: 60_000, l2, bus, storeGuard: guard });
    await vi.advanceTimersByTimeAsync(0);
    await writer.set('k', 'old');
    await outage(l2, writer);
    await writer.set('outage-key', 'new');
    await vi.advanceTimersByTimeAsync(0);
    const before = bus.published.length;
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(writer.stats().l2.state).toBe('healthy');
    // The replay publishes the key once L2 holds the new state (a publish deferred during the
    // cool-down may also have gone out when the bus came back: invalidations are idempotent).
    expect(
      bus.published.slice(before).filter((payload) => payload.includes('outage-key')).length,
    ).toBeGreaterThanOrEqual(1);
    expect(bus.published.at(-1)).toContain('outage-key');
    await writer.close();
  });

  it('gives tags invalidated during the outage new versions in L2', async () => {
    const { l2, writer, reader } = pair(true);
    await writer.set('tagged', 'old', { tags: ['team'] });
    expect(await reader.get('tagged')).toBe('old');
    await outage(l2, writer);
    await writer.deleteByTag('team');
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(l2.calls).toContain('invalidate default:team');
    const fresh = createCache({ ttlMs: 60_000, l2, l1: false, storeGuard: guard });
    expect(await fresh.get('tagged')).toBeUndefined();
    expect(replays[0]).toMatchObject({ keys: 0, tags: 1, cleared: false });
  });

  it('clears the namespace in L2 when a clear was missed', async () => {
    const { l2, writer, reader } = pair();
    await writer.set('a', 1);
    await outage(l2, writer);
    await writer.clear();
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(l2.calls).toContain('clear default');
    expect(await reader.get('a')).toBeUndefined();
    expect(replays[0]).toMatchObject({ cleared: true, overflowed: false });
  });

  it(`clears the namespace instead when more than ${JOURNAL_MAX_ENTRIES} keys were missed, and says so`, async () => {
    const { l2, writer, reader } = pair();
    await writer.set('kept-elsewhere', 'old');
    await outage(l2, writer);
    for (let index = 0; index <= JOURNAL_MAX_ENTRIES; index++) await writer.delete(`k${index}`);
    await writer.set('kept-elsewhere', 'new');
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(writer.stats().l2.state).toBe('healthy');
    expect(l2.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
    expect(l2.calls).toContain('clear default');
    expect(await reader.get('kept-elsewhere')).toBeUndefined();
    expect(replays).toEqual([
      expect.objectContaining({ overflowed: true, cleared: true, keys: 0, tags: 0 }),
    ]);
  });

  it('keeps the journal and cools down again when the replay fails, then replays it', async () => {
    const { l2, writer, reader } = pair();
    await writer.set('k', 'old');
    await outage(l2, writer);
    await writer.set('k', 'new');
    l2.mode = 'ok';
    const realDelete = l2.delete;
    l2.delete = () => Promise.reject(new Error('READONLY'));
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(writer.stats().l2.state).toBe('cooling-down');
    expect(await reader.get('k')).toBe('old');
    l2.delete = realDelete;
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    expect(writer.stats().l2.state).toBe('healthy');
    expect(await reader.get('k')).toBeUndefined();
  });

  it('replays a write that failed while L2 stayed healthy after the next success', async () => {
    const l2 = memoryL2({ withPing: true });
    const writer = createCache({ ttlMs: 60_000, l2, storeGuard: { failureThreshold: 5 } });
    const reader = createCache({ ttlMs: 60_000, l2, l1: false });
    await writer.set('k', 'old');
    l2.mode = 'fail';
    await writer.set('k', 'new');
    expect(writer.stats().l2.state).toBe('healthy');
    l2.mode = 'ok';
    await writer.get('other');
    await vi.advanceTimersByTimeAsync(0);
    expect(await reader.get('k')).toBeUndefined();
  });

  it('the first write after the cool-down reaches L2 (no ping: the write is the probe)', async () => {
    const l2 = memoryL2();
    const writer = createCache({ ttlMs: 60_000, l2, storeGuard: guard });
    const reader = createCache({ ttlMs: 60_000, l2, l1: false, storeGuard: guard });
    await outage(l2, writer);
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(guard.coolDownMs);
    await writer.set('after', 'fresh');
    expect(writer.stats().l2.state).toBe('healthy');
    expect(await reader.get('after')).toBe('fresh');
  });
});

describe('outage journal (property)', () => {
  type Step =
    | { readonly kind: 'set'; readonly key: string; readonly value: number }
    | { readonly kind: 'delete'; readonly key: string }
    | { readonly kind: 'l2'; readonly up: boolean }
    | { readonly kind: 'wait'; readonly ms: number };
  const key = fc.constantFrom('a', 'b', 'c', 'd');
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ kind: fc.constant('delete' as const), key }),
    fc.record({ kind: fc.constant('l2' as const), up: fc.boolean() }),
    fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 700 }) }),
  );

  it('once L2 is back and healthy, it never serves a value the cache replaced or deleted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), fc.boolean(), async (steps, withPing) => {
        const l2 = memoryL2({ withPing });
        const options = { ttlMs: 600_000, l2, storeGuard: { ...guard, failureThreshold: 2 } };
        const writer = createCache(options);
        const reader = createCache({ ...options, l1: false });
        const latest = new Map<string, number | undefined>();
        for (const next of steps) {
          if (next.kind === 'l2') l2.mode = next.up ? 'ok' : 'fail';
          else if (next.kind === 'wait') await vi.advanceTimersByTimeAsync(next.ms);
          else if (next.kind === 'set') {
            await writer.set(next.key, next.value);
            latest.set(next.key, next.value);
          } else {
            await writer.delete(next.key);
            latest.set(next.key, undefined);
          }
        }
        l2.mode = 'ok';
        await vi.advanceTimersByTimeAsync(guard.coolDownMs + guard.timeoutMs);
        if (!withPing) await writer.get('wake');
        await vi.advanceTimersByTimeAsync(guard.timeoutMs);
        expect(writer.stats().l2.state).toBe('healthy');
        for (const [name, value] of latest) {
          const seen = await reader.get(name);
          // Either what the writer last did, or nothing (a replayed delete): never older.
          if (seen !== undefined) expect(seen).toBe(value);
        }
        await writer.close();
        await reader.close();
      }),
      { numRuns: 120 },
    );
  });
});
