/**
 * What tests/hardened-service-redis.test.ts and -cluster.test.ts require of a run of the
 * outage scenario; shared so both topologies are held to the same bar.
 */
import { defaultLimits } from '@rampart/rate-limiter';
import { expect, it } from 'vitest';
import { type PromSample, total } from '../traffic/index.ts';
import { type Checkpoint, gauge, type ScenarioObservations } from './outage-scenario.ts';

/** Event-loop and scheduling room on a busy two-core CI machine. */
const SLACK_MS = 1_000;

function at(observations: ScenarioObservations, name: Checkpoint['name']): Checkpoint {
  const found = observations.checkpoints.find((checkpoint) => checkpoint.name === name);
  if (found === undefined) throw new Error(`the scenario never reached ${name}`);
  return found;
}

/** Events logged by `logEvents` before a checkpoint. */
function eventsBefore(observations: ScenarioObservations, name: Checkpoint['name']): string[] {
  return observations.logs
    .slice(0, at(observations, name).logCount)
    .flatMap((line) => (line.event === undefined ? [] : [line.event]));
}

/** No request hung, none failed in a way a client should never see, nothing went unhandled. */
export function expectEveryRequestAnswered(observations: ScenarioObservations): void {
  const { samples, unhandled, config } = observations;
  expect(unhandled).toEqual([]);
  expect(samples.length).toBeGreaterThan(500);
  expect(samples.filter((sample) => sample.status === 0).map((sample) => sample.error)).toEqual([]);
  const slowest = samples.reduce((max, sample) => Math.max(max, sample.latencyMs), 0);
  expect(slowest).toBeLessThan(config.requestDeadlineMs + SLACK_MS);
  const statuses = new Set(samples.map((sample) => sample.status));
  for (const status of statuses) expect([200, 429, 502, 503, 504]).toContain(status);
  // A dead Redis never reaches a client as an internal error.
  expect(samples.filter((sample) => sample.code === 'E_INTERNAL')).toEqual([]);
}

/**
 * The flooder stays within the bound docs/rate-limiter.md documents for the fallback: each
 * counting domain (Redis before the kill, the in-process fallback, the restarted Redis, whose
 * data is gone) admits at most its burst plus its rate over the time it is used, so the run
 * admits at most three times that; Redis alone, before the kill, admits at most one. The
 * well-behaved clients, far below their limit, are never limited.
 */
export function expectRateLimitsHeld(observations: ScenarioObservations): void {
  const [minute] = defaultLimits;
  const limit = minute?.limit ?? 60;
  const perMs = limit / (minute?.windowMs ?? 60_000);
  const flood = observations.samples.filter((sample) => sample.label === 'flood');
  const admitted = (samples: typeof flood): number =>
    samples.filter((sample) => sample.status !== 429).length;
  const first = flood[0]?.startedAt ?? 0;
  const last = flood.reduce((max, sample) => Math.max(max, sample.startedAt), first);
  const killedAt = at(observations, 'breaker-open').at;
  const beforeKill = flood.filter((sample) => sample.startedAt < killedAt);
  expect(admitted(beforeKill)).toBeLessThanOrEqual(
    limit + Math.ceil((killedAt - first) * perMs) + 1,
  );
  expect(admitted(flood)).toBeGreaterThanOrEqual(limit);
  expect(admitted(flood)).toBeLessThanOrEqual(3 * (limit + Math.ceil((last - first) * perMs) + 1));
  // Limited in every phase, not only while Redis answered.
  for (const [from, to] of [
    ['healthy', 'breaker-open'],
    ['redis-down', 'breaker-closed'],
    ['breaker-closed', 'end'],
  ] as const) {
    const during = flood.filter(
      (sample) =>
        sample.startedAt >= at(observations, from).at && sample.startedAt < at(observations, to).at,
    );
    expect(during.filter((sample) => sample.status === 429).length, `429s ${from}`).toBeGreaterThan(
      0,
    );
  }
  const normal = observations.samples.filter((sample) => sample.label === 'normal');
  expect(normal.filter((sample) => sample.status === 429)).toEqual([]);
}

const decisions = (metrics: readonly PromSample[], source: string): number =>
  total(metrics, 'rampart_rate_limiter_decisions_total', { source });

/** `/metrics`, `/readyz` and the logs tell each phase apart. */
export function expectEachPhaseVisible(observations: ScenarioObservations): void {
  const healthy = at(observations, 'healthy');
  expect(gauge(healthy.metrics, 'rampart_circuit_breaker_state')).toBe(0);
  expect(decisions(healthy.metrics, 'store')).toBeGreaterThan(0);
  expect(healthy.readiness.status, JSON.stringify(healthy.readiness.checks)).toBe('pass');
  expect(healthy.readiness.checks.redis?.[0]?.status).toBe('pass');

  const open = at(observations, 'breaker-open');
  expect(
    total(open.metrics, 'rampart_circuit_breaker_transitions_total', {
      from: 'closed',
      to: 'open',
    }),
  ).toBeGreaterThanOrEqual(1);
  expect(total(open.metrics, 'rampart_retry_retries_total')).toBeGreaterThan(0);
  expect(open.readiness.status).toBe('warn'); // degraded: still in rotation
  expect(eventsBefore(observations, 'breaker-open')).toContain('circuit-breaker.opened');

  const down = at(observations, 'redis-down');
  expect(total(down.metrics, 'rampart_rate_limiter_store_errors_total')).toBeGreaterThan(0);
  expect(decisions(down.metrics, 'fallback')).toBeGreaterThan(0);
  expect(total(down.metrics, 'rampart_cache_l2_errors_total')).toBeGreaterThan(0);
  // The upstream is still failing: expired products stand in for it.
  expect(total(down.metrics, 'rampart_cache_stale_served_total')).toBeGreaterThan(0);
  expect(down.readiness.checks.redis?.[0]?.status).toBe('warn'); // down, not critical
  expect(eventsBefore(observations, 'redis-down')).toEqual(
    expect.arrayContaining(['rate-limiter.fallback-engaged', 'cache.l2-down']),
  );

  const closed = at(observations, 'breaker-closed');
  expect(gauge(closed.metrics, 'rampart_circuit_breaker_state')).toBe(0);
  expect(
    total(closed.metrics, 'rampart_circuit_breaker_transitions_total', { to: 'closed' }),
  ).toBeGreaterThanOrEqual(1);
  expect(eventsBefore(observations, 'breaker-closed')).toContain('circuit-breaker.closed');

  const back = at(observations, 'redis-back');
  expect(decisions(back.metrics, 'store')).toBeGreaterThan(decisions(down.metrics, 'store'));
  expect(
    total(back.metrics, 'rampart_rate_limiter_fallback_transitions_total', {
      transition: 'recovered',
    }),
  ).toBeGreaterThanOrEqual(1);
  expect(back.readiness.checks.redis?.[0]?.status).toBe('pass');
  expect(back.readiness.status).toBe('pass');
  expect(eventsBefore(observations, 'redis-back')).toEqual(
    expect.arrayContaining(['rate-limiter.fallback-recovered', 'cache.l2-up']),
  );

  // Logged, but not flooded: repeated failures are summarised, not written per request.
  const events = eventsBefore(observations, 'redis-back');
  expect(events.filter((event) => event === 'rate-limiter.store-error').length).toBeLessThanOrEqual(
    3,
  );
  const requestLines = observations.logs.filter((line) => line.msg.startsWith('GET /api'));
  expect(requestLines.length).toBeGreaterThan(100);
  expect(requestLines.every((line) => typeof line.requestId === 'string')).toBe(true);
}

/** The shutdown ran every step, in order, promptly. */
export function expectCleanShutdown(observations: ScenarioObservations): void {
  const messages = observations.logs.map((line) => line.msg);
  const steps = [
    'shutdown: stopped accepting connections',
    'shutdown: every in-flight request finished',
    'shutdown: closed cache',
    'shutdown: closed rate limiter',
    'shutdown: closed breaker',
    'shutdown: closed Redis connection',
    'shutdown: closed metrics',
    'shutdown complete',
  ].map((step) => messages.findIndex((message) => message.startsWith(step)));
  expect(steps.every((index) => index >= 0)).toBe(true);
  expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  expect(observations.closeMs).toBeLessThan(5_000);
}

/**
 * Declares the guarantees above as the tests of the current suite, each checking the run that
 * `observations` returns (made in the suite's `beforeAll`).
 */
export function itHoldsTheOutageGuarantees(observations: () => ScenarioObservations): void {
  it('answers every request within its deadline, with nothing unhandled', () => {
    expectEveryRequestAnswered(observations());
  });

  it('holds the rate limits within the fallback bound in every phase', () => {
    expectRateLimitsHeld(observations());
  });

  it('shows each phase in /metrics, /readyz and the logs', () => {
    expectEachPhaseVisible(observations());
  });

  it('shuts down in order once the load stops', () => {
    expectCleanShutdown(observations());
  });
}
