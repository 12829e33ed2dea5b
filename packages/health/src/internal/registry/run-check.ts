import { isRampartError } from '@rampart/errors';
import type { HealthCheck, HealthCheckOutcome } from '../../health-check.ts';
import type { HealthStatus } from '../../health-status.ts';

/** What one run of a check produced, before criticality is applied. */
export interface RunOutcome {
  readonly checkStatus: HealthStatus;
  readonly output: string | undefined;
  readonly observedValue: number | undefined;
  readonly observedUnit: string | undefined;
  readonly error: unknown;
  readonly timedOut: boolean;
}

const STATUSES = new Set<unknown>(['pass', 'warn', 'fail']);
const PASS: RunOutcome = outcome('pass', undefined);
const RETURNED_FALSE: RunOutcome = outcome('fail', 'returned false');
const INVALID: RunOutcome = outcome('fail', 'returned something other than a health outcome');

function outcome(checkStatus: HealthStatus, output: string | undefined): RunOutcome {
  return {
    checkStatus,
    output,
    observedValue: undefined,
    observedUnit: undefined,
    error: undefined,
    timedOut: false,
  };
}

/** Reads what a check returned into an outcome; anything unreadable counts as `fail`. */
function fromValue(value: unknown): RunOutcome {
  try {
    return readValue(value);
  } catch (error) {
    return fromError(error); // a getter or a proxy that throws
  }
}

function readValue(value: unknown): RunOutcome {
  if (value === undefined || value === true) return PASS;
  if (value === false) return RETURNED_FALSE;
  if (typeof value !== 'object' || value === null) return INVALID;
  const given = value as Partial<HealthCheckOutcome>;
  if (!STATUSES.has(given.status)) return INVALID;
  return {
    checkStatus: given.status as HealthStatus,
    output: typeof given.output === 'string' ? given.output : undefined,
    observedValue: Number.isFinite(given.observedValue) ? given.observedValue : undefined,
    observedUnit: typeof given.observedUnit === 'string' ? given.observedUnit : undefined,
    error: undefined,
    timedOut: false,
  };
}

/**
 * What may be said about an error: the message of a Rampart error marked safe to expose,
 * its code otherwise, and nothing more for anything else (messages of unexpected errors
 * can carry hosts, queries or credentials).
 */
function describeFailure(error: unknown): string {
  if (isRampartError(error)) return error.expose ? error.message : `failed with ${error.code}`;
  return 'failed';
}

function fromError(error: unknown): RunOutcome {
  return { ...outcome('fail', describeFailure(error)), error };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs a check once under its own deadline: past `timeoutMs` the check's signal aborts and
 * the run counts as `fail`, whatever the check does afterwards. A synchronous throw is a
 * failure like a rejection. The deadline's timer is awaited by the caller, so it is not
 * unref'ed; it is cleared as soon as the check settles.
 */
export function runCheck(check: HealthCheck, timeoutMs: number): Promise<RunOutcome> {
  const controller = new AbortController();
  let value: unknown;
  try {
    value = check({ signal: controller.signal });
  } catch (error) {
    return Promise.resolve(fromError(error));
  }
  if (!isThenable(value)) return Promise.resolve(fromValue(value));
  return new Promise<RunOutcome>((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const message = `timed out after ${timeoutMs} ms`;
      controller.abort(new DOMException(`The health check ${message}`, 'TimeoutError'));
      resolve({ ...outcome('fail', message), timedOut: true });
    }, timeoutMs);
    const finish = (result: RunOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    try {
      value.then(
        (resolved) => finish(fromValue(resolved)),
        (error: unknown) => finish(fromError(error)),
      );
    } catch (error) {
      finish(fromError(error));
    }
  });
}
