import { createAttempt, type FailoverCore } from './core.ts';
import { Execution } from './execution.ts';
import type { ProviderSlot } from './provider-slot.ts';
import { publishAttempt } from './publish.ts';

/**
 * Runs one `execute`. The common case — no hedging, the preferred provider available and
 * answering — costs one breaker call and one `then`, with no {@link Execution}: that is only
 * built when the first call fails, when the first provider is unavailable, or for hedging.
 */
export function executeCall<Input, Output>(
  core: FailoverCore<Input, Output>,
  input: Input,
  signal: AbortSignal | undefined,
): Promise<Output> {
  core.budget?.recordCall();
  const candidates = core.order(core.slots, core.clock) as readonly ProviderSlot<Input, Output>[];
  const slot = candidates[0];
  const now = core.clock.now();
  if (
    core.hedge !== undefined ||
    core.disposedError !== undefined ||
    slot === undefined ||
    slot.availability(now) !== 'available'
  ) {
    return new Execution(core, input, signal, candidates).promise;
  }
  slot.calls++;
  core.traffic.record(slot.index);
  const attempt = createAttempt(slot, 1, now, false, undefined);
  const call =
    signal === undefined
      ? slot.breaker.execute(input, attempt)
      : slot.breaker.executeWith({ signal }, input, attempt);
  return call.then(
    (value) => {
      const durationMs = core.clock.now() - attempt.startedAt;
      slot.latency.record(durationMs);
      publishAttempt(core.name, attempt, 'success', durationMs, undefined);
      return value;
    },
    (error: unknown) => {
      const aborted = signal?.aborted === true;
      if (aborted || core.disposedError !== undefined) {
        publishAttempt(core.name, attempt, 'aborted', core.clock.now() - attempt.startedAt, error);
        throw aborted ? signal.reason : core.disposedError;
      }
      return new Execution(core, input, signal, candidates, { failed: attempt, error }).promise;
    },
  );
}
