import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CircuitBreakerStateEvent,
  type CircuitState,
  circuitBreakerChannels,
  createCircuitBreaker,
} from './index.ts';
import { captureEvents } from './test-support.ts';

/**
 * Model-based property test of the state machine: random sequences of calls that succeed,
 * fail, time out or are aborted, clock advances and manual control, checked against the
 * rules a breaker promises. The test keeps its own record of every call (when it was
 * admitted, in which half-open period, how it ended) and of every state event.
 */

type Command =
  | { readonly kind: 'start' }
  | { readonly kind: 'succeed' | 'fail' | 'abort'; readonly pick: number }
  | { readonly kind: 'advance'; readonly ms: number }
  /** Advances to just before (-1) or exactly to (0) the end of the open period or the next deadline. */
  | { readonly kind: 'boundary'; readonly offset: -1 | 0 }
  | { readonly kind: 'isolate' | 'release' | 'reset' };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'start' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('succeed' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1_500 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('boundary' as const),
      offset: fc.constantFrom(-1 as const, 0 as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { kind: 'isolate' as const },
      { kind: 'release' as const },
      { kind: 'reset' as const },
    ),
  },
);

const policyArbitrary = fc.record({
  volumeThreshold: fc.oneof(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 })),
  errorThresholdPercentage: fc.integer({ min: 1, max: 100 }),
  halfOpenProbes: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 })),
  successesToClose: fc.integer({ min: 1, max: 4 }),
  resetTimeoutMs: fc.integer({ min: 100, max: 1_000 }),
  resetBackoffFactor: fc.constantFrom(1, 1.5, 2, 3),
  maxResetTimeoutMs: fc.integer({ min: 1_000, max: 4_000 }),
  timeoutMs: fc.oneof(fc.integer({ min: 50, max: 800 }), fc.constant(false as const)),
  capacity: fc.oneof(fc.constant(false as const), fc.integer({ min: 1, max: 4 })),
});

interface CallRecord {
  readonly startedAt: number;
  probe: boolean;
  readonly period: number;
  readonly controller: AbortController;
  settleFunction?: { resolve(value: unknown): void; reject(error: unknown): void };
  functionEnded: boolean;
  result?: { readonly ok: boolean; readonly error?: unknown };
}

const ALLOWED: ReadonlySet<string> = new Set([
  'closed>open:failure-threshold',
  'open>half-open:reset-timeout',
  'half-open>open:probe-failed',
  'half-open>closed:probes-succeeded',
  'closed>isolated:isolated',
  'open>isolated:isolated',
  'half-open>isolated:isolated',
  'isolated>half-open:released',
  'open>closed:reset',
  'half-open>closed:reset',
  'isolated>closed:reset',
]);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('state machine', () => {
  it('never breaks the state rules, whatever happens in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArbitrary,
        fc.array(commandArbitrary, { minLength: 10, maxLength: 80, size: 'max' }),
        async (policy, commands) => {
          await checkRun(policy, commands);
        },
      ),
      { numRuns: 200 },
    );
  });
});

type Policy = typeof policyArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

async function checkRun(policy: Policy, commands: readonly Command[]): Promise<void> {
  const events = captureEvents();
  /** Clock time at which each state event was published. */
  const eventTimes: number[] = [];
  const stamp = (): void => {
    eventTimes.push(Date.now());
  };
  subscribe(circuitBreakerChannels.state, stamp);
  let current: CallRecord | undefined;
  const breaker = createCircuitBreaker(
    (_label: string, _signal: AbortSignal) =>
      new Promise((resolve, reject) => {
        if (current !== undefined) current.settleFunction = { resolve, reject };
      }),
    { name: 'model', ...policy },
  );
  const calls: CallRecord[] = [];
  const isolations: { release(): void }[] = [];
  // The model, advanced from the state events (an object: TypeScript cannot see closures mutate locals).
  const model = {
    state: 'closed' as CircuitState,
    period: 0,
    openUntil: 0,
    consecutiveOpens: 0,
    decidedSinceClosed: 0,
    seenEvents: 0,
  };

  const flush = () => vi.advanceTimersByTimeAsync(0);
  const undecided = (call: CallRecord) => call.result === undefined;
  const running = () => calls.filter((call) => !call.functionEnded);

  function checkEvent(event: CircuitBreakerStateEvent, at: number): void {
    expect(event.from).toBe(model.state);
    expect(ALLOWED.has(`${event.from}>${event.to}:${event.reason}`)).toBe(true);
    if (event.to === 'open') {
      model.consecutiveOpens++;
      const expected = Math.min(
        policy.maxResetTimeoutMs,
        policy.resetTimeoutMs * policy.resetBackoffFactor ** (model.consecutiveOpens - 1),
      );
      expect(event.retryAfterMs).toBeCloseTo(expected, 6);
      model.openUntil = at + expected;
    }
    if (event.reason === 'failure-threshold') {
      expect(event.failureRate).toBeGreaterThanOrEqual(policy.errorThresholdPercentage);
      expect(model.decidedSinceClosed).toBeGreaterThanOrEqual(policy.volumeThreshold);
    }
    if (event.reason === 'reset-timeout') expect(at).toBeGreaterThanOrEqual(model.openUntil);
    if (event.reason === 'probes-succeeded') {
      const successes = calls.filter(
        (call) => call.probe && call.period === model.period && call.result?.ok,
      );
      expect(successes.length).toBeGreaterThanOrEqual(policy.successesToClose);
    }
    if (event.reason === 'probe-failed') {
      expect(
        calls.some(
          (call) => call.probe && call.period === model.period && call.result?.ok === false,
        ),
      ).toBe(true);
    }
    if (event.to === 'closed') {
      model.consecutiveOpens = 0;
      model.decidedSinceClosed = 0;
    }
    model.state = event.to;
    model.period++;
  }

  /** Applies the state events published since the last look, checking each. */
  function absorbEvents(): void {
    for (; model.seenEvents < events.state.length; model.seenEvents++) {
      const event = events.state[model.seenEvents];
      const at = eventTimes[model.seenEvents];
      if (event !== undefined && at !== undefined) checkEvent(event, at);
    }
  }

  try {
    for (const command of commands) {
      const now = Date.now();
      switch (command.kind) {
        case 'start': {
          const lazyHalfOpen = model.state === 'open' && now >= model.openUntil;
          const wasState: CircuitState = lazyHalfOpen ? 'half-open' : model.state;
          const probesBefore = calls.filter(
            (call) =>
              call.probe &&
              call.period === model.period + (lazyHalfOpen ? 1 : 0) &&
              undecided(call),
          ).length;
          const full = policy.capacity !== false && running().length >= policy.capacity;
          const record: CallRecord = {
            startedAt: now,
            probe: false,
            period: model.period + (lazyHalfOpen ? 1 : 0),
            controller: new AbortController(),
            functionEnded: true,
          };
          current = record;
          const settled = breaker.executeWith({ signal: record.controller.signal }, 'x').then(
            () => {
              record.result = { ok: true };
            },
            (error: unknown) => {
              record.result = { ok: false, error };
            },
          );
          current = undefined;
          absorbEvents();
          const admitted = record.settleFunction !== undefined;
          const probeSlotFree = probesBefore < policy.halfOpenProbes;
          const mayAdmit =
            !full && (wasState === 'closed' || (wasState === 'half-open' && probeSlotFree));
          expect(admitted).toBe(mayAdmit);
          if (admitted) {
            record.probe = wasState === 'half-open';
            record.functionEnded = false;
            calls.push(record);
            break;
          }
          await settled;
          const error = record.result?.error;
          if (wasState === 'open') {
            expect(isRampartError(error, 'E_CIRCUIT_OPEN')).toBe(true);
            expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(model.openUntil - now);
          } else if (wasState === 'isolated' || !probeSlotFree) {
            expect(isRampartError(error, 'E_CIRCUIT_OPEN')).toBe(true);
          } else {
            expect(isRampartError(error, 'E_CIRCUIT_CAPACITY')).toBe(true);
          }
          break;
        }
        case 'succeed':
        case 'fail': {
          const live = running();
          const call = live[command.pick % Math.max(1, live.length)];
          if (call === undefined) break;
          call.functionEnded = true;
          const wasUndecided = undecided(call);
          if (command.kind === 'succeed') call.settleFunction?.resolve('ok');
          else call.settleFunction?.reject(new Error('dependency failed'));
          await flush();
          if (wasUndecided) {
            expect(call.result?.ok).toBe(command.kind === 'succeed');
            model.decidedSinceClosed++;
          }
          break;
        }
        case 'abort': {
          const live = calls.filter(undecided);
          const call = live[command.pick % Math.max(1, live.length)];
          if (call === undefined) break;
          const reason = new Error('caller left');
          call.controller.abort(reason);
          await flush();
          expect(call.result).toEqual({ ok: false, error: reason });
          break;
        }
        case 'advance':
        case 'boundary': {
          const timeoutMs = policy.timeoutMs;
          const deadlines = calls
            .filter((call) => undecided(call) && timeoutMs !== false)
            .map((call) => call.startedAt + (timeoutMs === false ? 0 : timeoutMs));
          const target = model.state === 'open' ? model.openUntil : Math.min(...deadlines);
          const ms =
            command.kind === 'advance'
              ? command.ms
              : Number.isFinite(target)
                ? Math.max(0, target + command.offset - now)
                : 0;
          const due = calls.filter(
            (call) =>
              undecided(call) &&
              policy.timeoutMs !== false &&
              call.startedAt + policy.timeoutMs <= now + ms,
          );
          await vi.advanceTimersByTimeAsync(ms);
          for (const call of due) {
            expect(isRampartError(call.result?.error, 'E_TIMEOUT')).toBe(true);
            model.decidedSinceClosed++;
          }
          for (const call of calls) {
            if (undecided(call) && policy.timeoutMs !== false) {
              expect(call.startedAt + policy.timeoutMs).toBeGreaterThan(Date.now());
            }
          }
          break;
        }
        case 'isolate':
          isolations.push(breaker.isolate());
          break;
        case 'release':
          isolations.shift()?.release();
          break;
        case 'reset':
          isolations.length = 0;
          breaker.reset();
          break;
      }
      absorbEvents();
      expect(breaker.state).toBe(
        model.state === 'open' && Date.now() >= model.openUntil ? 'half-open' : model.state,
      );
      absorbEvents();
      const stats = breaker.stats();
      expect(stats.calls).toBe(
        stats.successes + stats.ignored + stats.failures + stats.timeouts + stats.slowCalls,
      );
      expect(stats.failureRate).toBeGreaterThanOrEqual(0);
      expect(stats.failureRate).toBeLessThanOrEqual(100);
      expect(stats.inFlight).toBe(running().length);
      if (policy.capacity !== false) expect(running().length).toBeLessThanOrEqual(policy.capacity);
    }
  } finally {
    unsubscribe(circuitBreakerChannels.state, stamp);
    events.stop();
    await breaker.dispose();
  }
}
