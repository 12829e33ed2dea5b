import type { HealthGroup, HealthStatus } from './health-status.ts';

/** The result of one check within a {@link HealthReport}. */
export interface HealthCheckResult {
  /** The check's status after its criticality: a non-critical failure shows as `warn`. */
  readonly status: HealthStatus;
  /** What the check itself returned (`fail` for a throw or a timeout). */
  readonly checkStatus: HealthStatus;
  /** Whether a failure of this check fails the report. */
  readonly critical: boolean;
  /** How long the run took, in milliseconds. */
  readonly durationMs: number;
  /** When the run ended, as an ISO 8601 timestamp (older than now when cached). */
  readonly observedAt: string;
  /** Whether this result was reused from an earlier run. */
  readonly cached: boolean;
  /** The check's note, or what went wrong (`"timed out after 250 ms"`, `"threw"`). */
  readonly output?: string;
  /** A measurement behind the verdict. */
  readonly observedValue?: number;
  /** The unit of `observedValue`. */
  readonly observedUnit?: string;
  /**
   * What the check threw or rejected with, for logs. Not enumerable, so it never reaches
   * `JSON.stringify` of a report, and {@link healthHandler} never sends it.
   */
  readonly error?: unknown;
}

/** The aggregated result of the checks of one group (or of every check). */
export interface HealthReport {
  /** The worst status of the checks; `pass` when there are none. */
  readonly status: HealthStatus;
  /** The group checked, or `undefined` for every check. */
  readonly group: HealthGroup | undefined;
  /** Whether a shutdown has started (readiness then fails at once). */
  readonly shuttingDown: boolean;
  /** Each check's result, by name. */
  readonly checks: Readonly<Record<string, HealthCheckResult>>;
}
