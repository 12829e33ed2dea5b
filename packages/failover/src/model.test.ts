import { RateLimitedError } from '@rampart/errors';
import { createRetryBudget, type RetryBudget } from '@rampart/retry';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import type { Failover, FailoverProvider } from './options.ts';
import { ConnectionRefused } from './test-errors.ts';
import { type Tracked, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Kind = 'ok' | 'fail' | 'limited' | 'bad-input';
const behaviour = fc.record({
  kind: fc.constantFrom<Kind>('ok', 'ok', 'fail', 'fail', 'limited', 'bad-input'),
  delayMs: fc.integer({ min: 0, max: 400 }),
  retryAfterMs: fc.integer({ min: 1, max: 3_000 }),
});
type Step = { kind: Kind; delayMs: number; retryAfterMs: number };
const request = fc.record({
  gapMs: fc.integer({ min: 0, max: 1_500 }),
  deadlineMs: fc.integer({ min: 1, max: 2_000 }),
});
const scenario = fc.record({
  providers: fc.array(fc.array(behaviour, { minLength: 1, maxLength: 8 }), {
    minLength: 1,
    maxLength: 4,
  }),
  requests: fc.array(request, { minLength: 1, maxLength: 30 }),
  strategy: fc.constantFrom('priority' as const, 'weighted' as const, 'least-latency' as const),
  hedgeMs: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  maxHedges: fc.integer({ min: 1, max: 3 }),
  budget: fc.record({
    capacity: fc.integer({ min: 1, max: 5 }),
    retryRatio: fc.double({ min: 0, max: 0.5, noNaN: true }),
    minRetriesPerSecond: fc.integer({ min: 0, max: 2 }),
  }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

/** A budget that counts what it granted, around the real one. */
function countingBudget(inner: RetryBudget) {
  const counts = { calls: 0, granted: 0 };
  const budget: RetryBudget = {
    recordCall() {
      counts.calls++;
      inner.recordCall();
    },
    tryRetry() {
      const granted = inner.tryRetry();
      if (granted) counts.granted++;
      return granted;
    },
    available: () => inner.available(),
  };
  return { budget, counts };
}

describe('model: random provider behaviours over time', () => {
  it('never calls after the deadline, never calls an open provider outside its probes, never exceeds the budget', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (model) => {
        const startedAt = Date.now();
        const deadlines = new Map<string, number>();
        const violations: string[] = [];
        let providerCalls = 0;
        let failover: Failover<string, string> | undefined;
        const halfOpenInFlight = new Map<number, number>();
        const providers: FailoverProvider<string, string>[] = model.providers.map(
          (script, index) => {
            let count = 0;
            return {
              name: `p${index}`,
              weight: (index % 3) + 1,
              call(input, { signal }) {
                providerCalls++;
                const now = Date.now();
                const deadline = deadlines.get(input) ?? 0;
                if (now >= deadline)
                  violations.push(`p${index} called at ${now} after ${deadline}`);
                const circuit = failover?.state().providers[index]?.circuit;
                if (circuit !== 'closed' && circuit !== 'half-open') {
                  violations.push(`p${index} called while ${circuit}`);
                }
                const probing = circuit === 'half-open';
                if (probing) {
                  const inFlight = (halfOpenInFlight.get(index) ?? 0) + 1;
                  halfOpenInFlight.set(index, inFlight);
                  if (inFlight > 1) violations.push(`p${index}: ${inFlight} probes at once`);
                }
                const step = script[count++ % script.length] as Step;
                return new Promise<string>((resolve, reject) => {
                  const end = (): void => {
                    if (probing)
                      halfOpenInFlight.set(index, (halfOpenInFlight.get(index) ?? 1) - 1);
                  };
                  const timer = setTimeout(() => {
                    end();
                    signal.removeEventListener('abort', onAbort);
                    if (step.kind === 'ok') resolve(`p${index}`);
                    else if (step.kind === 'fail') reject(new ConnectionRefused(`p${index}`));
                    else if (step.kind === 'limited') {
                      reject(new RateLimitedError('429', { retryAfterMs: step.retryAfterMs }));
                    } else reject(Object.assign(new Error('bad input'), { status: 422 }));
                  }, step.delayMs);
                  const onAbort = (): void => {
                    clearTimeout(timer);
                    end();
                    reject(signal.reason);
                  };
                  signal.addEventListener('abort', onAbort, { once: true });
                });
              },
            };
          },
        );
        const { budget, counts } = countingBudget(createRetryBudget(model.budget));
        const random = fc.sample(fc.double({ min: 0, max: 0.999, noNaN: true }), {
          seed: model.seed,
          numRuns: 1_000,
        });
        let draw = 0;
        failover = createFailover({
          name: 'model',
          providers,
          strategy: model.strategy,
          random: () => random[draw++ % random.length] ?? 0,
          breaker: {
            volumeThreshold: 2,
            rollingWindowMs: 10_000,
            resetTimeoutMs: 1_000,
            halfOpenProbes: 1,
            timeoutMs: 1_000,
          },
          retryBudget: budget,
          ...(model.hedgeMs === undefined
            ? {}
            : { hedge: { delayMs: model.hedgeMs, maxHedges: model.maxHedges } }),
        });
        const pending: { answer: Tracked<string>; deadline: number; settledAt: { at: number } }[] =
          [];
        for (const [index, next] of model.requests.entries()) {
          await vi.advanceTimersByTimeAsync(next.gapMs);
          const id = String(index);
          const deadline = Date.now() + next.deadlineMs;
          deadlines.set(id, deadline);
          const controller = new AbortController();
          setTimeout(() => controller.abort(new Error('deadline')), next.deadlineMs);
          const promise = failover.execute(id, { signal: controller.signal });
          const settledAt = { at: Number.POSITIVE_INFINITY };
          promise.then(
            () => {
              settledAt.at = Date.now();
            },
            () => {
              settledAt.at = Date.now();
            },
          );
          pending.push({ answer: track(promise), deadline, settledAt });
        }
        await vi.advanceTimersByTimeAsync(2_000);
        expect(violations).toEqual([]);
        expect(pending.every(({ answer }) => answer.settled)).toBe(true);
        expect(pending.filter(({ deadline, settledAt }) => settledAt.at > deadline)).toEqual([]);
        // Every provider call beyond the first of each request was paid from the budget.
        expect(providerCalls).toBeLessThanOrEqual(counts.calls + counts.granted);
        const elapsedSeconds = (Date.now() - startedAt) / 1000;
        expect(counts.granted).toBeLessThanOrEqual(
          model.budget.capacity +
            model.budget.retryRatio * counts.calls +
            model.budget.minRetriesPerSecond * elapsedSeconds +
            1e-6,
        );
        await failover.dispose();
      }),
      { numRuns: 60 },
    );
  });
});
