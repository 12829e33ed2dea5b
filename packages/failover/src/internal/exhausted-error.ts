import { UnavailableError } from '@rampart/errors';
import type { ExhaustedReason } from '../options.ts';
import type { ProviderSlot } from './provider-slot.ts';

const SENTENCES: Readonly<Record<ExhaustedReason, string>> = {
  'all-unavailable': 'every provider is unavailable',
  'all-failed': 'every provider tried failed',
  'budget-exhausted': 'the retry budget is spent',
};

/**
 * The `UnavailableError` of a call no provider answered: `retryAfterMs` is the soonest an
 * unavailable provider is tried again (`undefined` when none is out or none says when), and
 * `details.providers` lists each provider's availability, circuit state and wait.
 */
export function exhaustedError<Input, Output>(
  name: string,
  reason: ExhaustedReason,
  slots: readonly ProviderSlot<Input, Output>[],
  now: number,
  cause: unknown,
): UnavailableError {
  let soonest: number | undefined;
  const providers = slots.map((slot) => {
    const availability = slot.availability(now);
    const retryAfterMs = slot.retryAfterMs(now, availability);
    if (retryAfterMs !== undefined && (soonest === undefined || retryAfterMs < soonest)) {
      soonest = retryAfterMs;
    }
    return {
      name: slot.name,
      availability,
      circuit: slot.breaker.state,
      retryAfterMs: retryAfterMs ?? null,
    };
  });
  return new UnavailableError(`Failover "${name}": no provider answered (${SENTENCES[reason]})`, {
    ...(soonest === undefined ? {} : { retryAfterMs: soonest }),
    details: { failover: name, reason, providers },
    ...(cause === undefined ? {} : { cause }),
    captureStack: false,
  });
}
