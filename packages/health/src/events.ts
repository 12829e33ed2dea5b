import type { HealthGroup, HealthStatus } from './health-status.ts';

/**
 * The `node:diagnostics_channel` channels health checks and the shutdown coordinator publish
 * on. Nothing is built or published while a channel has no subscriber.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { healthChannels, type HealthStatusEvent } from '@rampart/health';
 *
 * subscribe(healthChannels.status, (message) => {
 *   const event = message as HealthStatusEvent;
 *   console.warn(`${event.group}: ${event.from ?? 'unknown'} → ${event.to}`);
 * });
 * ```
 */
export const healthChannels: {
  /** A check ran (cached results are not published again): {@link HealthCheckEvent}. */
  readonly check: 'rampart:health:check';
  /** The status of a group changed: {@link HealthStatusEvent}. */
  readonly status: 'rampart:health:status';
  /** A shutdown moved on to its next phase: {@link HealthShutdownEvent}. */
  readonly shutdown: 'rampart:health:shutdown';
} = Object.freeze({
  check: 'rampart:health:check',
  status: 'rampart:health:status',
  shutdown: 'rampart:health:shutdown',
} as const);

/**
 * Payload of {@link healthChannels}`.check`, published when a check run ends.
 *
 * @group Events
 */
export interface HealthCheckEvent {
  /** The registry's name (`createHealth({ name })`). */
  readonly name: string;
  /** The check's name. */
  readonly check: string;
  /** Its status after its criticality (a non-critical failure is `warn`). */
  readonly status: HealthStatus;
  /** What the check itself returned (`fail` for a throw or a timeout). */
  readonly checkStatus: HealthStatus;
  /** Whether the check is critical. */
  readonly critical: boolean;
  /** How long the run took, in milliseconds. */
  readonly durationMs: number;
  /** Whether the run passed its deadline. */
  readonly timedOut: boolean;
  /** What the check threw or rejected with; otherwise `undefined`. */
  readonly error: unknown;
  /** The Rampart code of `error` when it has one (`E_TIMEOUT`, …); otherwise `undefined`. */
  readonly code: string | undefined;
}

/**
 * The group a status belongs to: a probe group, or `all` for a report over every check.
 */
export type HealthStatusScope = HealthGroup | 'all';

/**
 * Payload of {@link healthChannels}`.status`, published when a group's status changes.
 *
 * @group Events
 */
export interface HealthStatusEvent {
  /** The registry's name (`createHealth({ name })`). */
  readonly name: string;
  /** The group. */
  readonly group: HealthStatusScope;
  /** The status before, or `undefined` on the group's first report. */
  readonly from: HealthStatus | undefined;
  /** The status now. */
  readonly to: HealthStatus;
  /** The names of the checks that are not `pass`. */
  readonly unhealthy: readonly string[];
}

/**
 * The phases of a shutdown, in order:
 * - `started`: a signal arrived or `start()` was called; readiness fails from now on;
 * - `draining`: waiting `drainDelayMs` for load balancers to stop sending traffic;
 * - `closing-servers`: servers stop accepting and finish their in-flight requests (skipped
 *   when the coordinator has no server);
 * - `handler-started` / `handler-finished` / `handler-failed`: one shutdown handler;
 * - `completed`: every step ran in time;
 * - `forced`: the deadline passed or a second signal arrived; the process exits now.
 */
export type ShutdownPhase =
  | 'started'
  | 'draining'
  | 'closing-servers'
  | 'handler-started'
  | 'handler-finished'
  | 'handler-failed'
  | 'completed'
  | 'forced';

/**
 * Payload of {@link healthChannels}`.shutdown`.
 *
 * @group Events
 */
export interface HealthShutdownEvent {
  /** The coordinator's name (`createShutdown({ name })`). */
  readonly name: string;
  /** The phase entered. */
  readonly phase: ShutdownPhase;
  /** Why the shutdown started: the signal's name, or the reason given to `start()`. */
  readonly reason: string;
  /** Milliseconds since the shutdown started. */
  readonly elapsedMs: number;
  /** For the handler phases: the handler's name; otherwise `undefined`. */
  readonly handler: string | undefined;
  /** For `handler-failed`: what it threw; otherwise `undefined`. */
  readonly error: unknown;
  /** For `forced`: what was still running (handlers, or `N in-flight requests`). */
  readonly pending: readonly string[];
}
