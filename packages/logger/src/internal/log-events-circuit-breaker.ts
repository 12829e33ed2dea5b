/** What `logEvents()` logs from `@rampart/circuit-breaker` (subscribed by name, types only). */
import type { CircuitBreakerStateEvent, circuitBreakerChannels } from '@rampart/circuit-breaker';
import type { LoggedEvent } from '../log-event-levels.ts';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
  roundedMs,
} from './log-events-context.ts';

/** The channel names, checked against the package's own `circuitBreakerChannels` by the type. */
export const CIRCUIT_BREAKER_CHANNELS: typeof circuitBreakerChannels = {
  state: 'rampart:circuit-breaker:state',
  call: 'rampart:circuit-breaker:call',
  rejected: 'rampart:circuit-breaker:rejected',
};

const EVENTS: Readonly<Record<CircuitBreakerStateEvent['to'], LoggedEvent>> = {
  open: 'circuit-breaker.opened',
  'half-open': 'circuit-breaker.half-open',
  closed: 'circuit-breaker.closed',
  isolated: 'circuit-breaker.isolated',
};

function describe(event: CircuitBreakerStateEvent): string {
  const breaker = `circuit breaker ${quoted(event.name)}`;
  const nextTrial =
    event.retryAfterMs === undefined
      ? ''
      : `; next trial call in ${roundedMs(event.retryAfterMs)} ms`;
  switch (event.to) {
    case 'open':
      return event.reason === 'probe-failed'
        ? `${breaker} opened again: a trial call failed${nextTrial}`
        : `${breaker} opened: failure rate ${Math.round(event.failureRate * 10) / 10} % reached its threshold${nextTrial}`;
    case 'half-open':
      return event.reason === 'released'
        ? `${breaker} released from isolation, half-open: trying calls`
        : `${breaker} half-open: trying calls`;
    case 'closed':
      return event.reason === 'reset'
        ? `${breaker} closed: reset by hand`
        : `${breaker} closed: trial calls succeeded`;
    case 'isolated':
      return `${breaker} isolated: held open by hand`;
  }
}

/**
 * Logs every state change: opened and isolated at `warn`, half-open and closed at `info`.
 * Calls and rejections are per call and not logged; the state changes tell the story.
 */
export function logCircuitBreaker(context: LogEventsContext): PackageLogging {
  /** When each breaker left `closed`, for how long it was open once it closes. */
  const leftClosedAt = new Map<string, number>();
  const listeners: ChannelListeners<typeof circuitBreakerChannels> = {
    state(event: CircuitBreakerStateEvent) {
      const fields: LogFields = {
        breaker: event.name,
        from: event.from,
        to: event.to,
        reason: event.reason,
        failureRate: event.failureRate,
      };
      if (event.retryAfterMs !== undefined) fields.retryAfterMs = event.retryAfterMs;
      if (event.to === 'closed') {
        const since = leftClosedAt.get(event.name);
        leftClosedAt.delete(event.name);
        if (since !== undefined) fields.openForMs = roundedMs(context.clock.now() - since);
      } else if (event.from === 'closed') {
        leftClosedAt.set(event.name, context.clock.now());
      }
      context.emit({ event: EVENTS[event.to], fields, message: describe(event) });
    },
    call: null,
    rejected: null,
  };
  return { channels: CIRCUIT_BREAKER_CHANNELS, listeners };
}
