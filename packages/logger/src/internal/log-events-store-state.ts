/** How `logEvents()` logs a store guard's changes of state, alike for a cache's L2 and a limiter's store. */
import type { StoreStateEvent } from '@rampart/cache';
import type { LoggedEvent } from '../log-event-levels.ts';
import { type LogEventsContext, type LogFields, quoted, roundedMs } from './log-events-context.ts';

/** How one package names its guarded store in lines. */
export interface StoreStateWording {
  /** The line when the store starts being skipped. */
  readonly down: LoggedEvent;
  /** The line when it is healthy again. */
  readonly up: LoggedEvent;
  /** The field naming the instance: `cache`, `limiter`. */
  readonly field: string;
  /** Who, in messages: `cache "users": L2`, `rate limiter "login": its store`. */
  describe(name: string): string;
  /** The field carrying how long it was down. */
  readonly downForField: string;
  /**
   * Where decisions come from while the store is skipped and once it is back, for a package
   * whose metrics label them (`source`: `fallback`, `store`); said in both lines.
   */
  readonly source?: { readonly down: string; readonly up: string };
}

/**
 * Returns the listener of a `store-state` channel: a `warn` line when the store goes from
 * healthy to cooling down, an `info` line with how long it was down when it is healthy
 * again; the probes in between are not logged.
 */
export function storeStateLogger(
  context: LogEventsContext,
  wording: StoreStateWording,
): (event: StoreStateEvent) => void {
  const downSince = new Map<string, number>();
  return (event) => {
    const who = wording.describe(event.name);
    if (event.from === 'healthy' && event.to === 'cooling-down') {
      downSince.set(event.name, event.health.changedAt);
      const fields: LogFields = {
        [wording.field]: event.name,
        consecutiveFailures: event.health.consecutiveFailures,
        retryAfterMs: event.health.retryAfterMs,
      };
      if (event.code !== undefined) fields.code = event.code;
      if (event.error !== undefined) fields.err = event.error;
      if (wording.source !== undefined) fields.source = wording.source.down;
      const cause = event.code === undefined ? '' : ` (${event.code})`;
      const source = wording.source === undefined ? '' : `, with source "${wording.source.down}",`;
      context.emit({
        event: wording.down,
        fields,
        message: `${who} is skipped after ${event.health.consecutiveFailures} failures in a row${cause}; calls skip it${source} until a probe succeeds (next in ${event.health.retryAfterMs} ms)`,
      });
      return;
    }
    if (event.to !== 'healthy') return;
    const since = downSince.get(event.name);
    downSince.delete(event.name);
    const fields: LogFields = { [wording.field]: event.name };
    if (since !== undefined)
      fields[wording.downForField] = roundedMs(event.health.changedAt - since);
    if (wording.source !== undefined) fields.source = wording.source.up;
    const source = wording.source === undefined ? '' : ` (source "${wording.source.up}")`;
    context.emit({ event: wording.up, fields, message: `${who} is answering again${source}` });
  };
}

/** `cache "users": L2`. */
export const cacheL2 = (name: string): string => `cache ${quoted(name)}: L2`;
/** `rate limiter "login": its store`. */
export const limiterStore = (name: string): string => `rate limiter ${quoted(name)}: its store`;
