/**
 * What the per-package parts of `logEvents()` share: how a line is written (level, `event`
 * field, throttling), whether keys may be logged, the clock, and dynamic subscriptions.
 */
import type { Clock } from '@rampart/errors';
import type { LoggedEvent } from '../log-event-levels.ts';

/** The fields of one line, besides `event`. */
export type LogFields = Record<string, unknown>;

/** A line to log. */
export interface LogLine {
  readonly event: LoggedEvent;
  readonly fields: LogFields;
  readonly message: string;
}

/** What a package's part of `logEvents()` may do. */
export interface LogEventsContext {
  /** Logs a line at its event's level. */
  emit(line: LogLine): void;
  /**
   * Logs a line, at most one per `source` per `minIntervalMs` (the others are counted
   * into a summary line); `source` names the instance, e.g. the limiter's name.
   */
  throttled(source: string, line: LogLine): void;
  /** Whether lines may carry keys. */
  readonly includeKeys: boolean;
  /** Time for durations such as how long a store was down. */
  readonly clock: Clock;
  /**
   * Subscribes `listener` to `channel` until the returned function is called or the
   * instrumentation is disposed; for channels only needed for a while (cache hits while an
   * L2 is down).
   */
  watch(channel: string, listener: (message: unknown) => void): () => void;
}

/**
 * The listeners of one package, keyed like its `…Channels` object so that a channel added to
 * the package without a decision here fails the type check. `null`: deliberately not
 * logged (and not subscribed).
 */
export type ChannelListeners<Channels> = {
  readonly [Key in keyof Channels]: ((event: never) => void) | null;
};

/** A package's channels and what to do with each. */
export interface PackageLogging {
  readonly channels: Readonly<Record<string, string>>;
  readonly listeners: Readonly<Record<string, ((event: never) => void) | null>>;
}

/** `"name"`, quoted for messages. */
export function quoted(name: string): string {
  return JSON.stringify(name);
}

/** A duration in milliseconds, rounded for humans. */
export function roundedMs(milliseconds: number): number {
  return Math.round(milliseconds);
}
