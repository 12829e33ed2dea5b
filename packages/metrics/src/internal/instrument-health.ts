/** What `instrument()` records from `@rampart/health`'s channels (subscribed by name, types only). */
import type {
  HealthCheckEvent,
  HealthShutdownEvent,
  HealthStatus,
  HealthStatusEvent,
  healthChannels,
} from '@rampart/health';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { secondsOf } from './instrument-recorder.ts';

/** The channel names, checked against the package's own `healthChannels` by the type. */
export const HEALTH_CHANNELS: typeof healthChannels = {
  check: 'rampart:health:check',
  status: 'rampart:health:status',
  shutdown: 'rampart:health:shutdown',
};

/** The value of the status gauges for each status. */
export const HEALTH_STATUS_VALUES: Readonly<Record<HealthStatus, number>> = Object.freeze({
  pass: 0,
  warn: 1,
  fail: 2,
});

export function instrumentHealth(recorder: Recorder): PackageInstrumentation {
  const checkStatus = recorder.gauge({
    name: names.healthCheckStatus,
    help: 'Status of the latest run of a health check: pass 0, warn 1, fail 2.',
    labelNames: ['check'],
  });
  const checkDuration = recorder.histogram({
    name: names.healthCheckDuration,
    help: 'Duration of health check runs (cached results excluded), in seconds.',
    labelNames: ['check'],
  });
  const groupStatus = recorder.gauge({
    name: names.healthStatus,
    help: 'Status of a probe group (liveness, readiness, startup, all): pass 0, warn 1, fail 2.',
    labelNames: ['group'],
  });
  const shutdownPhases = recorder.counter({
    name: names.healthShutdownPhases,
    help: 'Phases graceful shutdowns entered (started, draining, closing-servers, completed, forced, …).',
    labelNames: ['phase'],
  });

  const listeners: ChannelListeners<typeof healthChannels> = {
    check(event: HealthCheckEvent) {
      checkStatus(event.name, { check: event.check }, HEALTH_STATUS_VALUES[event.status]);
      checkDuration(event.name, { check: event.check }, secondsOf(event.durationMs));
    },
    status(event: HealthStatusEvent) {
      groupStatus(event.name, { group: event.group }, HEALTH_STATUS_VALUES[event.to]);
    },
    shutdown(event: HealthShutdownEvent) {
      shutdownPhases(event.name, { phase: event.phase });
    },
  };
  return { channels: HEALTH_CHANNELS, listeners };
}
