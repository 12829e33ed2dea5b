import type { RunningService } from './service.ts';

/**
 * Shuts `service` down gracefully on the first SIGTERM or SIGINT, then removes its handlers
 * so the process exits on its own once nothing is left running. A second signal during the
 * shutdown exits at once with code 130: the operator insists.
 */
export function closeOnSignals(service: Pick<RunningService, 'close' | 'logger'>): void {
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received !== undefined) {
      service.logger.warn(
        { signal },
        `received ${signal} again: exiting before the shutdown finished`,
      );
      process.exit(130);
    }
    received = signal;
    service.logger.info({ signal }, `received ${signal}: shutting down`);
    service
      .close()
      .catch(() => {}) // close() logs its own failures and never rejects
      .finally(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * On an uncaught exception (or an unhandled rejection, which Node turns into one), logs it as
 * fatal, shuts down as gracefully as the shutdown deadline allows, and exits with code 1: the
 * process is in an unknown state and must not keep serving.
 */
export function exitOnCrash(service: Pick<RunningService, 'close' | 'logger'>): void {
  process.once('uncaughtException', (error) => {
    service.logger.fatal({ err: error }, 'uncaught exception: shutting down');
    process.exitCode = 1;
    service
      .close()
      .catch(() => {})
      .finally(() => process.exit(1));
  });
}
