import { CircuitOpenError, UnavailableError } from '@rampart/errors';
import { CircuitCapacityError } from '../errors.ts';
import type { Settings } from './settings.ts';

/** The error of a call rejected by a live breaker. */
export function rejectionError(
  name: string,
  reason: 'open' | 'isolated' | 'half-open' | 'capacity',
  retryAfterMs: number | undefined,
  settings: Settings,
): CircuitOpenError | CircuitCapacityError {
  const context = { circuit: name };
  switch (reason) {
    case 'open':
      return new CircuitOpenError(
        `Circuit "${name}" is open; the next trial call is admitted in ${retryAfterMs} ms`,
        retryAfterMs === undefined ? { context } : { context, retryAfterMs },
      );
    case 'isolated':
      return new CircuitOpenError(`Circuit "${name}" is isolated`, { context });
    case 'half-open':
      return new CircuitOpenError(
        `Circuit "${name}" is half-open and its trial calls (${settings.halfOpenProbes}) are in flight`,
        retryAfterMs === undefined ? { context } : { context, retryAfterMs },
      );
    case 'capacity':
      return new CircuitCapacityError(
        `Circuit "${name}" is at capacity (${settings.capacity} calls in flight)`,
        { context: { circuit: name, capacity: settings.capacity } },
      );
  }
}

/** The error of anything asked of a disposed breaker. */
export function disposedError(name: string): UnavailableError {
  return new UnavailableError(`Circuit breaker "${name}" has been disposed`, {
    context: { circuit: name },
    retryable: false,
    captureStack: false,
  });
}
