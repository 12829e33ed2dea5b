import { channel, hasSubscribers } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { cacheChannels } from '@rampart/cache';
import type { CircuitBreakerStateEvent } from '@rampart/circuit-breaker';
import { circuitBreakerChannels } from '@rampart/circuit-breaker';
import { ConfigurationError, TimeoutError, ValidationError } from '@rampart/errors';
import type { RateLimiterStoreErrorEvent } from '@rampart/rate-limiter';
import { rateLimiterChannels } from '@rampart/rate-limiter';
import { retryChannels } from '@rampart/retry';
import { runToExit } from '@rampart/test-harness';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loggerChannels } from './channels.ts';
import { closeLogger } from './close-logger.ts';
import { createLogger } from './create-logger.ts';
import { METRICS_CHANNELS } from './internal/log-events-metrics.ts';
import { defaultLogEventLevels } from './log-event-levels.ts';
import { logEvents } from './log-events.ts';
import { capture } from './test-fixtures/capture.ts';

/** Channels logEvents subscribes to from the start; the others are deliberately not logged. */
const LOGGED_CHANNELS: readonly string[] = [
  circuitBreakerChannels.state,
  rateLimiterChannels.storeError,
  rateLimiterChannels.storeState,
  retryChannels.budgetExhausted,
  cacheChannels.l2Error,
  cacheChannels.storeState,
  cacheChannels.replay,
  cacheChannels.bus,
  cacheChannels.lock,
  loggerChannels.destinationError,
  METRICS_CHANNELS.overflow,
  METRICS_CHANNELS.collectError,
];
const ALL_CHANNELS = [
  ...Object.values(retryChannels),
  ...Object.values(circuitBreakerChannels),
  ...Object.values(rateLimiterChannels),
  ...Object.values(cacheChannels),
  ...Object.values(loggerChannels),
  ...Object.values(METRICS_CHANNELS),
];

const opened: CircuitBreakerStateEvent = {
  name: 'users',
  from: 'closed',
  to: 'open',
  reason: 'failure-threshold',
  failureRate: 80,
  retryAfterMs: 30_000,
};
const timeout = new TimeoutError('store call took longer than 50 ms');
const storeError: RateLimiterStoreErrorEvent = {
  name: 'login',
  operation: 'consume',
  error: timeout,
  code: timeout.code,
  consecutiveFailures: 1,
  key: '203.0.113.7',
};

function publish(name: string, payload: object): void {
  channel(name).publish(payload);
}

function setup(options: Parameters<typeof logEvents>[1] = {}) {
  const output = capture();
  const logger = createLogger({
    name: 'api',
    destination: { stream: output.stream },
    level: 'debug',
  });
  const stop = logEvents(logger, options);
  disposers.push(stop);
  return { output, logger, stop };
}

const disposers: (() => void)[] = [];

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  for (const stop of disposers.splice(0)) stop();
  vi.useRealTimers();
});

describe('logEvents', () => {
  it('subscribes only to what it logs, and its disposer unsubscribes everything', () => {
    const { stop } = setup();
    for (const name of ALL_CHANNELS) {
      expect(hasSubscribers(name), name).toBe(LOGGED_CHANNELS.includes(name));
    }
    stop();
    for (const name of ALL_CHANNELS) expect(hasSubscribers(name), name).toBe(false);
    expect(() => stop()).not.toThrow();
  });

  it('logs only the packages asked for', () => {
    const { output } = setup({ packages: ['retry'] });
    publish(circuitBreakerChannels.state, opened);
    expect(output.lines).toEqual([]);
    expect(hasSubscribers(retryChannels.budgetExhausted)).toBe(true);
    expect(hasSubscribers(circuitBreakerChannels.state)).toBe(false);
  });

  it('uses the levels given, and silent turns an event off', () => {
    const { output } = setup({
      levels: { 'circuit-breaker.opened': 'error', 'circuit-breaker.half-open': 'silent' },
    });
    publish(circuitBreakerChannels.state, opened);
    publish(circuitBreakerChannels.state, { ...opened, from: 'open', to: 'half-open' });
    expect(output.records().map((record) => [record.event, record.level])).toEqual([
      ['circuit-breaker.opened', 50],
    ]);
    expect(defaultLogEventLevels['circuit-breaker.opened']).toBe('warn');
  });

  it('respects the logger’s own level', () => {
    const { output, logger } = setup();
    logger.level = 'warn';
    publish(circuitBreakerChannels.state, { ...opened, from: 'open', to: 'half-open' });
    publish(circuitBreakerChannels.state, opened);
    expect(output.records().map((record) => record.event)).toEqual(['circuit-breaker.opened']);
  });

  it('logs keys only when includeKeys is set', () => {
    const hidden = setup();
    publish(rateLimiterChannels.storeError, storeError);
    expect(hidden.output.lines.join('')).not.toContain('203.0.113.7');
    hidden.stop();
    const shown = setup({ includeKeys: true });
    publish(rateLimiterChannels.storeError, storeError);
    expect(shown.output.last()).toMatchObject({ key: '203.0.113.7' });
  });

  it('writes the pending summaries when disposed', () => {
    const { output, stop } = setup();
    for (let index = 0; index < 4; index += 1) publish(rateLimiterChannels.storeError, storeError);
    expect(output.lines).toHaveLength(1);
    stop();
    expect(output.last()).toMatchObject({ event: 'rate-limiter.store-error', suppressed: 3 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is disposed by closeLogger, which first writes the pending summaries', async () => {
    vi.useRealTimers();
    const { output, logger, stop } = setup();
    publish(rateLimiterChannels.storeError, storeError);
    publish(rateLimiterChannels.storeError, storeError);
    await closeLogger(logger, { timeoutMs: 1_000 });
    expect(output.records().map((record) => record.suppressed)).toEqual([undefined, 1]);
    for (const name of ALL_CHANNELS) expect(hasSubscribers(name), name).toBe(false);
    expect(() => stop()).not.toThrow();
  });

  it('works with a plain pino logger', () => {
    const output = capture();
    const stop = logEvents(pino({ base: null }, output.stream));
    disposers.push(stop);
    publish(circuitBreakerChannels.state, opened);
    expect(output.last()).toMatchObject({ event: 'circuit-breaker.opened', breaker: 'users' });
  });

  it('never throws into the publisher, and reports a failing channel once', async () => {
    const { output } = setup();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      // not a state event: `to` is unknown
      publish(circuitBreakerChannels.state, {
        name: 'users',
        get to(): never {
          throw new Error('bad payload');
        },
      });
      publish(circuitBreakerChannels.state, {
        name: 'users',
        get to(): never {
          throw new Error('bad payload');
        },
      });
      await vi.advanceTimersByTimeAsync(0);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(output.records()).toHaveLength(1);
    expect(output.last()).toMatchObject({
      level: 50,
      event: 'log-events.failure',
      channel: circuitBreakerChannels.state,
      err: { message: 'bad payload' },
    });
  });

  it('refuses what is not a pino logger, and names every invalid option', () => {
    expect(() => logEvents({} as pino.Logger)).toThrow(ValidationError);
    expect(() => logEvents({} as pino.Logger)).toThrow(
      /^logEvents: `logger` must be a pino logger/,
    );
    const logger = createLogger({ destination: { stream: capture().stream } });
    let error: unknown;
    try {
      logEvents(logger, {
        packages: ['redis' as 'retry'],
        levels: { 'circuit-breaker.open': 'warn', 'cache.l2-down': 'loud' } as never,
        minIntervalMs: -1,
        includeKeys: 'yes' as unknown as boolean,
        clock: {} as { now(): number },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const issues = (error as ConfigurationError).issues.map((issue) => issue.path).sort();
    expect(issues).toEqual(
      [
        'clock',
        'includeKeys',
        'levels["cache.l2-down"]',
        'levels["circuit-breaker.open"]',
        'minIntervalMs',
        'packages[0]',
      ].sort(),
    );
    expect((error as ConfigurationError).message).toMatch(
      /`minIntervalMs` must be a whole number of milliseconds from 0 to 2147483647 \(got -1\)/,
    );
  });

  it('lets the process exit on its own after closeLogger, with the summary written', async () => {
    vi.useRealTimers();
    const fixture = fileURLToPath(new URL('./test-fixtures/log-events-child.ts', import.meta.url));
    const result = await runToExit(process.execPath, ['--conditions=@rampart/source', fixture], {
      timeoutMs: 20_000,
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    expect(result.stderr).toBe('');
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => [record.event, record.suppressed])).toEqual([
      ['rate-limiter.store-error', undefined],
      ['rate-limiter.store-error', 4],
    ]);
  });
});
