import { type Channel, channel } from 'node:diagnostics_channel';
import { isRampartError } from '@rampart/errors';
import { retryChannels } from '../events.ts';

/** The channels, created once; callers check `hasSubscribers` before building a payload. */
export const attemptChannel: Channel = channel(retryChannels.attempt);
export const giveUpChannel: Channel = channel(retryChannels.giveUp);
export const budgetExhaustedChannel: Channel = channel(retryChannels.budgetExhausted);

/** The Rampart `code` of an error, `undefined` for anything else. */
export function codeOf(error: unknown): string | undefined {
  return isRampartError(error) ? error.code : undefined;
}
