import { ValidationError } from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { createCircuitBreakerRegistry } from './index.ts';
import { controlledFunction, manualClock, succeedOrFail } from './test-support.ts';

describe('createCircuitBreakerRegistry', () => {
  it('creates a breaker on first get and returns the same one afterwards', async () => {
    const registry = createCircuitBreakerRegistry({ defaults: { clock: manualClock() } });
    const first = registry.get('payments', succeedOrFail);
    const again = registry.get('payments', succeedOrFail);
    expect(again).toBe(first);
    expect(registry.get('payments')).toBe(first);
    expect(registry.get('unknown')).toBeUndefined();
    await expect(first.execute('ok')).resolves.toBe('done');
  });

  it('applies defaults, and per-breaker options over them', async () => {
    const clock = manualClock();
    const registry = createCircuitBreakerRegistry({
      defaults: { clock, volumeThreshold: 1, resetTimeoutMs: 1_000 },
    });
    const strict = registry.get('strict', succeedOrFail);
    const lenient = registry.get('lenient', succeedOrFail, { volumeThreshold: 3 });
    await strict.execute('fail').catch(() => undefined);
    await lenient.execute('fail').catch(() => undefined);
    expect(strict.state).toBe('open');
    expect(lenient.state).toBe('closed');
    expect(strict.stats().retryAfterMs).toBe(1_000);
    expect(lenient.stats().windowMs).toBe(10_000);
  });

  it('uses a per-breaker fallback', async () => {
    const registry = createCircuitBreakerRegistry({ defaults: { clock: manualClock() } });
    const breaker = registry.get('with-fallback', succeedOrFail, { fallback: () => 'stale' });
    await expect(breaker.execute('fail')).resolves.toBe('stale');
  });

  it('holds 10,000 breakers, each with its own state, and runs no timer for them', async () => {
    const clock = manualClock();
    const registry = createCircuitBreakerRegistry({
      defaults: { clock, volumeThreshold: 1, timeoutMs: false },
    });
    for (let index = 0; index < 10_000; index++) {
      const breaker = registry.get(`host-${index}`, succeedOrFail);
      await breaker.execute(index % 100 === 0 ? 'fail' : 'ok').catch(() => undefined);
    }
    expect(registry.size).toBe(10_000);
    const open = registry.list().filter((breaker) => breaker.state === 'open');
    expect(open.map((breaker) => breaker.name)).toHaveLength(100);
    expect(open[0]?.name).toBe('host-0');
    expect(registry.get('host-1')?.stats()).toMatchObject({ successes: 1, state: 'closed' });
    clock.advance(30_000);
    expect(registry.get('host-100')?.state).toBe('half-open');
    await registry.dispose();
  });

  it('forgets the least recently used idle breaker beyond maxBreakers', async () => {
    const registry = createCircuitBreakerRegistry({
      maxBreakers: 3,
      defaults: { clock: manualClock(), timeoutMs: false },
    });
    const { fn, calls } = controlledFunction();
    const busy = registry.get('a', fn);
    const running = busy.execute('x');
    registry.get('b', succeedOrFail);
    registry.get('c', succeedOrFail);
    registry.get('b'); // used recently
    registry.get('d', succeedOrFail); // 'a' is oldest but busy: 'c' goes
    expect(registry.list().map((breaker) => breaker.name)).toEqual(['a', 'b', 'd']);
    calls[0]?.resolve('still works');
    await expect(running).resolves.toBe('still works'); // a forgotten breaker is not disposed
    registry.get('e', succeedOrFail); // now 'a' is idle and oldest
    expect(registry.list().map((breaker) => breaker.name)).toEqual(['b', 'd', 'e']);
  });

  it('snapshots every breaker and hydrates a new registry from it', async () => {
    const clock = manualClock();
    const first = createCircuitBreakerRegistry({ defaults: { clock, volumeThreshold: 1 } });
    await first
      .get('down', succeedOrFail)
      .execute('fail')
      .catch(() => undefined);
    await first.get('up', succeedOrFail).execute('ok');
    const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<
      typeof first.snapshot
    >;
    await first.dispose();
    clock.advance(5_000);
    const second = createCircuitBreakerRegistry({
      defaults: { clock, volumeThreshold: 1 },
      initialState: snapshot,
    });
    expect(second.snapshot().map((entry) => entry.name)).toEqual(['down', 'up']); // unclaimed kept
    const down = second.get('down', succeedOrFail);
    expect(down.state).toBe('open');
    expect(down.stats().retryAfterMs).toBe(25_000);
    expect(second.get('up', succeedOrFail).stats().successes).toBe(1);
  });

  it('rejects a blank name with E_VALIDATION', () => {
    const registry = createCircuitBreakerRegistry();
    expect(() => registry.get('', succeedOrFail)).toThrow(ValidationError);
    expect(() => registry.get(42 as unknown as string)).toThrow(
      '`name` must be a non-empty string',
    );
  });

  it('forgets a breaker disposed on its own', async () => {
    const registry = createCircuitBreakerRegistry();
    await registry.get('temporary', succeedOrFail).dispose();
    expect(registry.get('temporary')).toBeUndefined();
    expect(registry.get('temporary', succeedOrFail).state).toBe('closed');
  });
});
