import { type Channel, channel } from 'node:diagnostics_channel';
import { failoverChannels } from '../events.ts';

/** The channels, created once; callers check `hasSubscribers` before building a payload. */
export const attemptChannel: Channel = channel(failoverChannels.attempt);
export const skippedChannel: Channel = channel(failoverChannels.providerSkipped);
export const hedgeChannel: Channel = channel(failoverChannels.hedge);
export const fallbackUsedChannel: Channel = channel(failoverChannels.fallbackUsed);
export const exhaustedChannel: Channel = channel(failoverChannels.exhausted);
