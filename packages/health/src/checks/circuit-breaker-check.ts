import { ConfigurationError } from '@rampart/errors';
import type { HealthCheck, HealthCheckOutcome } from '../health-check.ts';
import { worseStatus } from '../health-status.ts';
import { type DegradedStatus, degradedStatus } from './degraded-status.ts';

/** The part of a circuit breaker the check reads (a breaker of `@rampart/circuit-breaker`). */
export interface BreakerHealthSource {
  /** The breaker's name. */
  readonly name: string;
  /** Its state. */
  readonly state: 'closed' | 'open' | 'half-open' | 'isolated';
}

/** The part of a breaker registry the check reads. */
export interface BreakerRegistryHealthSource {
  /** Every breaker of the registry. */
  list(): readonly BreakerHealthSource[];
}

/** Options of {@link circuitBreakerCheck}. */
export interface CircuitBreakerCheckOptions {
  /**
   * The status while a breaker is open or isolated (half-open is always `warn`).
   *
   * @defaultValue `'warn'`: an open breaker is the service protecting itself with its
   * fallback; failing readiness would take every instance out at once.
   */
  readonly open?: DegradedStatus;
}

function isRegistry(
  source: BreakerHealthSource | BreakerRegistryHealthSource,
): source is BreakerRegistryHealthSource {
  return typeof (source as Partial<BreakerRegistryHealthSource>).list === 'function';
}

/**
 * Creates a check of a circuit breaker or of every breaker of a registry: `pass` while all
 * are closed, `warn` while one is half-open, and `open` (`warn` by default) while one is open
 * or isolated. The output names the breakers that are not closed.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `source` is
 * neither a breaker nor a registry, or `open` is not `warn` or `fail`.
 *
 * @example
 * ```ts
 * import { createCircuitBreakerRegistry } from '@rampart/circuit-breaker';
 * import { circuitBreakerCheck, createHealth } from '@rampart/health';
 *
 * const breakers = createCircuitBreakerRegistry();
 * const health = createHealth();
 * health.add('breakers', circuitBreakerCheck(breakers, { open: 'fail' }), { critical: false });
 * ```
 */
export function circuitBreakerCheck(
  source: BreakerHealthSource | BreakerRegistryHealthSource,
  options: CircuitBreakerCheckOptions = {},
): HealthCheck {
  if (
    typeof source !== 'object' ||
    source === null ||
    (!isRegistry(source) && typeof (source as Partial<BreakerHealthSource>).state !== 'string')
  ) {
    throw new ConfigurationError(
      'circuitBreakerCheck: `source` must be a circuit breaker or a breaker registry',
    );
  }
  const open = degradedStatus('circuitBreakerCheck', 'open', options?.open);
  return (): HealthCheckOutcome => {
    const breakers = isRegistry(source) ? source.list() : [source];
    let status: HealthCheckOutcome['status'] = 'pass';
    const notClosed: string[] = [];
    for (const breaker of breakers) {
      if (breaker.state === 'closed') continue;
      notClosed.push(`${breaker.name} ${breaker.state}`);
      status = worseStatus(status, breaker.state === 'half-open' ? 'warn' : open);
    }
    const closed = breakers.length - notClosed.length;
    return {
      status,
      output:
        notClosed.length === 0
          ? `${closed} of ${breakers.length} closed`
          : `${closed} of ${breakers.length} closed; ${notClosed.join(', ')}`,
      observedValue: notClosed.length,
      observedUnit: 'not closed',
    };
  };
}
