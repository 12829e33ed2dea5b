/** What `logEvents()` logs from `@rampart/health` (subscribed by name, types only). */
import type { HealthShutdownEvent, HealthStatusEvent, healthChannels } from '@rampart/health';
import type { LoggedEvent } from '../log-event-levels.ts';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
  roundedMs,
} from './log-events-context.ts';

/** The channel names, checked against the package's own `healthChannels` by the type. */
export const HEALTH_CHANNELS: typeof healthChannels = {
  check: 'rampart:health:check',
  status: 'rampart:health:status',
  shutdown: 'rampart:health:shutdown',
};

const STATUS_EVENTS: Readonly<Record<HealthStatusEvent['to'], LoggedEvent>> = {
  pass: 'health.passing',
  warn: 'health.warning',
  fail: 'health.failing',
};

function statusMessage(event: HealthStatusEvent): string {
  const group = `health ${quoted(event.name)} ${event.group}`;
  const which = event.unhealthy.length === 0 ? '' : `: ${event.unhealthy.join(', ')}`;
  return `${group} ${event.from ?? 'unknown'} → ${event.to}${which}`;
}

function shutdownEvent(event: HealthShutdownEvent): LoggedEvent {
  if (event.phase === 'forced') return 'health.shutdown-forced';
  if (event.phase === 'handler-failed') return 'health.shutdown-handler-failed';
  return 'health.shutdown';
}

function shutdownMessage(event: HealthShutdownEvent): string {
  const handler = event.handler ?? '';
  switch (event.phase) {
    case 'started':
      return event.reason.startsWith('SIG')
        ? `shutdown: ${event.reason} received; readiness fails from now on`
        : `shutdown: ${event.reason}; readiness fails from now on`;
    case 'draining':
      return 'shutdown: waiting for load balancers to stop sending traffic';
    case 'closing-servers':
      return 'shutdown: closing the servers, draining in-flight requests';
    case 'handler-started':
      return `shutdown: closing ${handler}`;
    case 'handler-finished':
      return `shutdown: closed ${handler}`;
    case 'handler-failed':
      return `shutdown: closing ${handler} failed`;
    case 'completed':
      return 'shutdown complete';
    case 'forced':
      return `shutdown forced after ${roundedMs(event.elapsedMs)} ms; still running: ${event.pending.join(', ') || 'nothing'}`;
  }
}

/**
 * Logs status changes of probe groups (`health.failing` and `health.warning` at `warn`,
 * `health.passing` at `info`; a group's first report only when it is not passing) and the
 * shutdown phases (`info`, a handler when it ends; a failed handler and a forced exit at
 * `error`). Check runs are per
 * probe and not logged: the status changes tell the story.
 */
export function logHealth(context: LogEventsContext): PackageLogging {
  const listeners: ChannelListeners<typeof healthChannels> = {
    check: null,
    status(event: HealthStatusEvent) {
      if (event.from === undefined && event.to === 'pass') return;
      const fields: LogFields = {
        health: event.name,
        group: event.group,
        from: event.from,
        to: event.to,
        unhealthy: event.unhealthy,
      };
      context.emit({ event: STATUS_EVENTS[event.to], fields, message: statusMessage(event) });
    },
    shutdown(event: HealthShutdownEvent) {
      if (event.phase === 'handler-started') return; // its end is logged
      const fields: LogFields = {
        shutdown: event.name,
        phase: event.phase,
        reason: event.reason,
        elapsedMs: roundedMs(event.elapsedMs),
      };
      if (event.handler !== undefined) fields.handler = event.handler;
      if (event.pending.length > 0) fields.pending = event.pending;
      if (event.error !== undefined) fields.err = event.error;
      context.emit({ event: shutdownEvent(event), fields, message: shutdownMessage(event) });
    },
  };
  return { channels: HEALTH_CHANNELS, listeners };
}
