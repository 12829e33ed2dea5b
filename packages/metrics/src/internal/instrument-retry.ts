/** What `instrument()` records from `@rampart/retry`'s channels (subscribed by name, types only). */
import type {
  RetryAttemptEvent,
  RetryBudgetExhaustedEvent,
  RetryGiveUpEvent,
  retryChannels,
} from '@rampart/retry';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import { errorTypeOf } from './error-type.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';

/** The channel names, checked against the package's own `retryChannels` by the type. */
export const RETRY_CHANNELS: typeof retryChannels = {
  attempt: 'rampart:retry:attempt',
  giveUp: 'rampart:retry:give-up',
  budgetExhausted: 'rampart:retry:budget-exhausted',
};

export function instrumentRetry(recorder: Recorder): PackageInstrumentation {
  const retries = recorder.counter({
    name: names.retryRetries,
    help: 'Failed attempts followed by another attempt, by the error the attempt failed with.',
    labelNames: ['error_type'],
  });
  const giveUps = recorder.counter({
    name: names.retryGiveUps,
    help: 'Calls that stopped retrying and rejected, by why.',
    labelNames: ['reason'],
  });
  const budgetExhausted = recorder.counter({
    name: names.retryBudgetExhausted,
    help: 'Retries refused because the retry budget was spent.',
    labelNames: [],
  });
  const listeners: ChannelListeners<typeof retryChannels> = {
    attempt(event: RetryAttemptEvent) {
      retries(event.name, { error_type: event.code ?? errorTypeOf(event.error) });
    },
    giveUp(event: RetryGiveUpEvent) {
      giveUps(event.name, { reason: event.reason });
    },
    budgetExhausted(event: RetryBudgetExhaustedEvent) {
      budgetExhausted(event.name, {});
    },
  };
  return { channels: RETRY_CHANNELS, listeners };
}
