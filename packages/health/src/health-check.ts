import type { HealthGroup, HealthStatus } from './health-status.ts';

/** What a check receives when it runs. */
export interface HealthCheckContext {
  /**
   * Aborts when the check's deadline passes or its registry is closed: pass it on to
   * whatever the check waits for (a query, a request), so nothing outlives the probe.
   */
  readonly signal: AbortSignal;
}

/**
 * What a check may return, besides nothing (which means `pass`). Everything in it may be
 * shown to whoever is allowed details by {@link healthHandler}: put no secrets in `output`.
 */
export interface HealthCheckOutcome {
  /** The check's verdict. */
  readonly status: HealthStatus;
  /** A short, human-readable note (`"3 of 4 breakers closed"`). */
  readonly output?: string;
  /** A measurement behind the verdict (a latency, a ratio). */
  readonly observedValue?: number;
  /** The unit of `observedValue` (`ms`, `percent`). */
  readonly observedUnit?: string;
}

/**
 * A health check: a function that resolves when the dependency or resource is healthy.
 * It is down when it throws (synchronously or not), rejects, runs past its deadline or
 * returns an outcome with status `fail`; returning nothing, or `true`, means `pass`, and
 * `false` means `fail`.
 */
export type HealthCheck = (
  context: HealthCheckContext,
) => HealthCheckReturn | PromiseLike<HealthCheckReturn>;

/**
 * What a {@link HealthCheck} returns (or resolves with): an outcome, `true` or nothing for
 * `pass`, `false` for `fail`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a check that returns nothing (an async function without a return) passes
export type HealthCheckReturn = HealthCheckOutcome | boolean | undefined | void;

/** How a check is registered. */
export interface HealthCheckOptions {
  /**
   * The probe groups the check belongs to.
   *
   * @defaultValue `['readiness']`: a dependency check never lands in liveness by accident,
   * where its outage would get every instance restarted.
   */
  readonly groups?: readonly HealthGroup[];
  /**
   * Whether a failure of this check fails the report. A non-critical failure only makes it
   * `warn`.
   *
   * @defaultValue `true`
   */
  readonly critical?: boolean;
  /**
   * The check's deadline in milliseconds; past it the check counts as `fail` and its signal
   * aborts.
   *
   * @defaultValue the registry's `timeoutMs`
   */
  readonly timeoutMs?: number;
  /**
   * How long a result is reused, in milliseconds, so a storm of probes does not hammer a
   * dependency. `0` runs the check on every probe (concurrent probes still share one run).
   *
   * @defaultValue the registry's `cacheMs`
   */
  readonly cacheMs?: number;
}

/** A check with its options, as given to `createHealth({ checks })`. */
export interface HealthCheckDefinition extends HealthCheckOptions {
  /** The check itself. */
  readonly check: HealthCheck;
}
