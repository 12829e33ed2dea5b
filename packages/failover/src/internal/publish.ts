import { type Channel, channel } from 'node:diagnostics_channel';
import { type FailoverAttemptOutcome, failoverChannels } from '../events.ts';
import type { Attempt } from './core.ts';
import { codeOf } from './error-fields.ts';

/** The channels, created once; callers check `hasSubscribers` before building a payload. */
export const attemptChannel: Channel = channel(failoverChannels.attempt);
export const skippedChannel: Channel = channel(failoverChannels.providerSkipped);
export const hedgeChannel: Channel = channel(failoverChannels.hedge);
export const fallbackUsedChannel: Channel = channel(failoverChannels.fallbackUsed);
export const exhaustedChannel: Channel = channel(failoverChannels.exhausted);

/** Publishes how a provider call ended, if anyone listens. */
export function publishAttempt<Input, Output>(
  name: string,
  attempt: Attempt<Input, Output>,
  outcome: FailoverAttemptOutcome,
  durationMs: number,
  error: unknown,
): void {
  if (!attemptChannel.hasSubscribers) return;
  attemptChannel.publish({
    name,
    provider: attempt.slot.name,
    attempt: attempt.attempt,
    hedge: attempt.hedge,
    outcome,
    durationMs,
    error,
    code: codeOf(error),
  });
}
