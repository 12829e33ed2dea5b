/** What changed after a store call: the limiter publishes a fallback event on a change. */
export type HealthChange = 'opened' | 'recovered' | undefined;

/**
 * Tracks store failures: after `failureThreshold` failures in a row the store is skipped
 * for `coolDownMs`; then one call probes it, and its success brings the store back.
 */
export interface StoreHealth {
  /** Whether a call at `now` should go to the store (a probe when cooling down). */
  admit(now: number): boolean;
  success(): HealthChange;
  failure(now: number): HealthChange;
  /** A call admitted as a probe ended without an answer (aborted): let another probe. */
  abandon(): void;
  /** Whether the store is being skipped. */
  readonly open: boolean;
  readonly consecutiveFailures: number;
  /** Until the next probe may run (0 when the store is in use). */
  retryAfterMs(now: number): number;
}

export function createStoreHealth(failureThreshold: number, coolDownMs: number): StoreHealth {
  let failures = 0;
  let open = false;
  let probing = false;
  let nextProbeAt = 0;
  return {
    admit(now) {
      if (!open) return true;
      if (probing || now < nextProbeAt) return false;
      probing = true;
      return true;
    },
    success() {
      failures = 0;
      if (!open) return undefined;
      open = false;
      probing = false;
      return 'recovered';
    },
    failure(now) {
      failures += 1;
      if (open) {
        probing = false;
        nextProbeAt = now + coolDownMs;
        return undefined;
      }
      if (failures < failureThreshold) return undefined;
      open = true;
      nextProbeAt = now + coolDownMs;
      return 'opened';
    },
    abandon() {
      probing = false;
    },
    get open() {
      return open;
    },
    get consecutiveFailures() {
      return failures;
    },
    retryAfterMs(now) {
      return open ? Math.max(1, nextProbeAt - now) : 0;
    },
  };
}
