import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  type Clock,
  clockSchema,
  invalidArgument,
  nonNegativeDurationMsSchema,
  parseOptions,
  systemClock,
} from '@rampart/errors';
import type { Logger as PinoLogger } from 'pino';
import * as z from 'zod';
import { levelSchema } from './internal/destination-schema.ts';
import { logCache } from './internal/log-events-cache.ts';
import { logCircuitBreaker } from './internal/log-events-circuit-breaker.ts';
import type { LogEventsContext, LogLine, PackageLogging } from './internal/log-events-context.ts';
import { logFailover } from './internal/log-events-failover.ts';
import { logHealth } from './internal/log-events-health.ts';
import { logLogger } from './internal/log-events-logger.ts';
import { logMetrics } from './internal/log-events-metrics.ts';
import { logRateLimiter } from './internal/log-events-rate-limiter.ts';
import { logRetry } from './internal/log-events-retry.ts';
import { createThrottle } from './internal/log-events-throttle.ts';
import { stateOf } from './internal/logger-state.ts';
import type { LogLevel } from './levels.ts';
import { defaultLogEventLevels, type LoggedEvent } from './log-event-levels.ts';

/** A Rampart package whose events {@link logEvents} can log. */
export type LogEventsPackage =
  | 'retry'
  | 'circuit-breaker'
  | 'rate-limiter'
  | 'cache'
  | 'failover'
  | 'logger'
  | 'metrics'
  | 'health';

/** Options of {@link logEvents}. */
export interface LogEventsOptions {
  /**
   * The packages whose events are logged.
   * @default every one — a package you do not use publishes nothing.
   */
  readonly packages?: readonly LogEventsPackage[];
  /**
   * Levels by event, replacing those of {@link defaultLogEventLevels}; `'silent'` turns an
   * event off.
   * @default `{}` — the defaults: `warn` for degradations, `info` for recoveries.
   */
  readonly levels?: Readonly<Partial<Record<LoggedEvent, LogLevel>>>;
  /**
   * For events that can repeat on every call (store errors, exhausted retry budgets, failed
   * publishes, destination errors, failed collects): the least time between two lines about
   * one source, in milliseconds. Events in between are counted and summed up in one line
   * (`suppressed`) when the interval ends. 0 logs every event.
   * @default `60000` — an outage writes a line a minute per limiter or policy, not one per request.
   */
  readonly minIntervalMs?: number;
  /**
   * Whether lines carry the key concerned (a rate-limit key, a cache key).
   * @default `false` — keys are often user ids, IP addresses or emails.
   */
  readonly includeKeys?: boolean;
  /**
   * Where durations (how long a circuit was open, a store or L2 down) are measured from.
   * @default {@link @rampart/errors!systemClock | systemClock} — read at each call, so fake
   *   timers installed later move it.
   */
  readonly clock?: Clock;
}

const PACKAGES: readonly LogEventsPackage[] = [
  'retry',
  'circuit-breaker',
  'rate-limiter',
  'cache',
  'failover',
  'logger',
  'metrics',
  'health',
];

const LOGGERS: Readonly<Record<LogEventsPackage, (context: LogEventsContext) => PackageLogging>> = {
  retry: logRetry,
  'circuit-breaker': logCircuitBreaker,
  'rate-limiter': logRateLimiter,
  cache: logCache,
  failover: logFailover,
  logger: logLogger,
  metrics: logMetrics,
  health: logHealth,
};

const levelsSchema = z.strictObject(
  Object.fromEntries(
    Object.keys(defaultLogEventLevels).map((event) => [event, levelSchema.optional()]),
  ) as Record<LoggedEvent, z.ZodOptional<typeof levelSchema>>,
  { error: 'must be an object of levels by event' },
);

const optionsSchema = z.strictObject({
  packages: z
    .array(
      z.enum(PACKAGES, {
        error: `must be one of ${PACKAGES.map((name) => `'${name}'`).join(', ')}`,
      }),
      { error: 'must be an array of package names' },
    )
    .default([...PACKAGES]),
  levels: levelsSchema.default({}),
  minIntervalMs: nonNegativeDurationMsSchema.default(60_000),
  includeKeys: z.boolean({ error: 'must be a boolean' }).default(false),
  clock: clockSchema.optional(),
});

type Write = (fields: Record<string, unknown>, message: string) => void;

/**
 * Logs what operators need to know about the other Rampart packages, from their
 * `node:diagnostics_channel` events, at sensible levels and without flooding: circuits
 * opening (`warn`), half-open and closing (`info`) or isolated (`warn`); a rate limiter's
 * store fallback engaging (`warn`) and recovering (`info`), and its store errors; exhausted
 * retry budgets; a cache's L2 going down (`warn`) and coming back (`info`), its bus and lock
 * troubles; failover calls no provider answered; failing log destinations; metrics that
 * reach their series budget or fail to collect; health probe groups changing status and
 * graceful shutdown phases. Events that can repeat on every call are logged at most once per source per
 * `minIntervalMs`, with a count of the rest. Per-call events (decisions, hits, attempts) are
 * not logged. Keys are left out unless `includeKeys`; errors go under `err`.
 *
 * Each line has an `event` field ({@link LoggedEvent}) and names its source (`breaker`,
 * `limiter`, `retryPolicy`, `cache`, `failover`, `logger`, `metrics`, `health`, `shutdown`). It subscribes to the
 * channels by name: `@rampart/logger` does not depend on the packages it observes. Returns a function
 * that unsubscribes, writes the pending summaries and stops the timers (calling it again
 * does nothing); `closeLogger` calls it too for a logger made by `createLogger`.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `logger` is not a pino logger.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
 *
 * @example
 * ```ts
 * import { createLogger, logEvents } from '@rampart/logger';
 *
 * const logger = createLogger({ name: 'api' });
 * const stopLogging = logEvents(logger, { levels: { 'circuit-breaker.half-open': 'debug' } });
 * // {"level":40,"event":"circuit-breaker.opened","breaker":"users","from":"closed","to":"open",…,
 * //  "msg":"circuit breaker \"users\" opened: failure rate 62.5 % reached its threshold; next trial call in 30000 ms"}
 *
 * process.once('SIGTERM', () => stopLogging()); // or: await closeLogger(logger)
 * ```
 */
export function logEvents(logger: PinoLogger, options: LogEventsOptions = {}): () => void {
  if (
    typeof logger !== 'object' ||
    logger === null ||
    typeof logger.warn !== 'function' ||
    typeof logger.info !== 'function'
  ) {
    throw invalidArgument('logEvents', 'logger', 'must be a pino logger', logger);
  }
  const parsed = parseOptions(optionsSchema, options, 'logEvents');
  const levels: Record<LoggedEvent, LogLevel> = { ...defaultLogEventLevels };
  for (const [event, level] of Object.entries(parsed.levels) as [LoggedEvent, LogLevel?][]) {
    if (level !== undefined) levels[event] = level;
  }

  const writers = new Map<LoggedEvent, Write | undefined>();
  const writerOf = (event: LoggedEvent): Write | undefined => {
    if (writers.has(event)) return writers.get(event);
    const level = levels[event];
    const write: Write | undefined =
      level === 'silent' ? undefined : (fields, message) => logger[level](fields, message);
    writers.set(event, write);
    return write;
  };
  const write = (line: LogLine, suppressed: number): void => {
    const writeLine = writerOf(line.event);
    if (writeLine === undefined) return;
    if (suppressed === 0) {
      writeLine({ event: line.event, ...line.fields }, line.message);
      return;
    }
    writeLine(
      { event: line.event, ...line.fields, suppressed },
      `${line.message} (${suppressed} more since the previous line; this is the latest)`,
    );
  };
  const throttle = createThrottle<LogLine>(parsed.minIntervalMs, write);

  const subscriptions = new Set<{ channel: string; listener: (message: unknown) => void }>();
  let disposed = false;
  /** Channels whose events could not be logged; reported once each. */
  const failing = new Set<string>();
  const guarded =
    (channel: string, listener: (message: unknown) => void) =>
    (message: unknown): void => {
      try {
        listener(message);
      } catch (error) {
        // Never into the publisher: Node rethrows a subscriber's error and the process dies.
        if (failing.has(channel)) return;
        failing.add(channel);
        try {
          logger.error(
            { event: 'log-events.failure', channel, err: error },
            `logEvents could not log an event of ${channel}; further failures on it are not reported`,
          );
        } catch {
          // Nothing more can be done without a working logger.
        }
      }
    };
  const context: LogEventsContext = {
    emit(line) {
      if (!disposed) write(line, 0);
    },
    throttled(source, line) {
      if (!disposed) throttle.offer(`${line.event}\u0000${source}`, line);
    },
    includeKeys: parsed.includeKeys,
    clock: parsed.clock ?? systemClock,
    watch(channel, listener) {
      if (disposed) return () => {};
      const subscription = { channel, listener: guarded(channel, listener) };
      subscribe(channel, subscription.listener);
      subscriptions.add(subscription);
      return () => {
        if (!subscriptions.delete(subscription)) return;
        unsubscribe(channel, subscription.listener);
      };
    },
  };

  for (const name of new Set(parsed.packages)) {
    const { channels, listeners } = LOGGERS[name](context);
    for (const [key, channel] of Object.entries(channels)) {
      const listener = listeners[key] as ((message: unknown) => void) | null | undefined;
      if (listener === null || listener === undefined) continue;
      context.watch(channel, listener);
    }
  }

  const state = stateOf(logger);
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    state?.closeHooks.delete(dispose);
    for (const { channel, listener } of subscriptions) unsubscribe(channel, listener);
    subscriptions.clear();
    throttle.flush();
  };
  state?.closeHooks.add(dispose);
  return dispose;
}
