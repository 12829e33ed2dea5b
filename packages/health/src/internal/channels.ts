import { channel } from 'node:diagnostics_channel';
import {
  type HealthCheckEvent,
  type HealthShutdownEvent,
  type HealthStatusEvent,
  healthChannels,
} from '../events.ts';

const checkChannel = channel(healthChannels.check);
const statusChannel = channel(healthChannels.status);
const shutdownChannel = channel(healthChannels.shutdown);

/** Whether a check event would reach anyone. */
export function hasCheckSubscribers(): boolean {
  return checkChannel.hasSubscribers;
}

/** Publishes the end of a check run, if anyone listens. */
export function publishCheck(event: HealthCheckEvent): void {
  if (checkChannel.hasSubscribers) checkChannel.publish(event);
}

/** Publishes a status change, if anyone listens. */
export function publishStatus(event: HealthStatusEvent): void {
  if (statusChannel.hasSubscribers) statusChannel.publish(event);
}

/** Publishes a shutdown phase, if anyone listens. */
export function publishShutdown(event: HealthShutdownEvent): void {
  if (shutdownChannel.hasSubscribers) shutdownChannel.publish(event);
}
