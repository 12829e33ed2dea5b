import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStoreGuard } from './store-guard.ts';
import type { StoreCallOutcome } from './store-state.ts';

/** A store whose answers the test switches: up, down (rejects) or hanging. */
function fakeStore() {
  const store = {
    mode: 'up' as 'up' | 'down' | 'hang',
    calls: 0,
    pings: 0,
    answer(): Promise<string> {
      if (store.mode === 'down') return Promise.reject(new Error('connection refused'));
      if (store.mode === 'hang') return new Promise<string>(() => {});
      return Promise.resolve('value');
    },
    call: (): Promise<string> => {
      store.calls += 1;
      return store.answer();
    },
    ping: (): Promise<string> => {
      store.pings += 1;
      return store.answer();
    },
  };
  return store;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('store guard state machine (property)', () => {
  type Step =
    | { readonly kind: 'mode'; readonly mode: 'up' | 'down' | 'hang' }
    | { readonly kind: 'call' }
    | { readonly kind: 'wait'; readonly ms: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constantFrom('up', 'down', 'hang').map((mode) => ({ kind: 'mode', mode }) as const),
    fc.constant({ kind: 'call' } as const),
    fc.integer({ min: 0, max: 1500 }).map((ms) => ({ kind: 'wait', ms }) as const),
  );

  it('keeps its promises over any sequence of outcomes and waits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (steps, failureThreshold, withPing) => {
          const timeoutMs = 50;
          const coolDownMs = 300;
          const store = fakeStore();
          let cooledDown = false;
          let failuresInARow = 0;
          let maxFailuresInARow = 0;
          const guard = createStoreGuard({
            name: 'property',
            component: 'test',
            timeoutMs,
            failureThreshold,
            coolDownMs,
            ...(withPing ? { ping: store.ping } : {}),
            onFailure: () => {
              failuresInARow += 1;
              maxFailuresInARow = Math.max(maxFailuresInARow, failuresInARow);
            },
          });
          const check = (): void => {
            const health = guard.health();
            expect(['healthy', 'cooling-down', 'probing']).toContain(health.state);
            if (health.state === 'cooling-down') {
              cooledDown = true;
              expect(health.retryAfterMs).toBeGreaterThan(0);
              expect(health.retryAfterMs).toBeLessThanOrEqual(coolDownMs);
            } else {
              expect(health.retryAfterMs).toBe(0);
            }
            expect(health.changedAt).toBeLessThanOrEqual(Date.now());
          };
          for (const next of steps) {
            if (next.kind === 'mode') store.mode = next.mode;
            else if (next.kind === 'wait') await vi.advanceTimersByTimeAsync(next.ms);
            else {
              const before = guard.health();
              const calls = store.calls;
              const startedAt = Date.now();
              let outcome: StoreCallOutcome<string> | undefined;
              void guard.run('get', store.call).then((ended) => {
                outcome = ended;
              });
              await vi.advanceTimersByTimeAsync(timeoutMs);
              // Every call ends within its deadline.
              expect(outcome).toBeDefined();
              expect(Date.now() - startedAt).toBeLessThanOrEqual(timeoutMs);
              // A cooling-down store is never called before its cool-down ends.
              if (before.state === 'cooling-down' && startedAt < before.changedAt + coolDownMs) {
                expect(store.calls).toBe(calls);
                expect(outcome).toEqual({ ok: false, reason: 'skipped' });
              }
              if (outcome?.ok === true) {
                failuresInARow = 0;
                expect(guard.health()).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
              }
            }
            check();
          }
          // Entering cool-down from healthy takes failureThreshold failures in a row.
          if (cooledDown) {
            expect(maxFailuresInARow).toBeGreaterThanOrEqual(failureThreshold);
          }
          // Once the store is back, it is healthy again within a cool-down and a deadline
          // (on its own with ping; after one call without).
          store.mode = 'up';
          await vi.advanceTimersByTimeAsync(coolDownMs + timeoutMs);
          if (!withPing) await guard.run('get', store.call);
          expect(guard.health().state).toBe('healthy');
          guard.close();
        },
      ),
      { numRuns: 150 },
    );
  });
});
