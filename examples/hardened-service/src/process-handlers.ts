import type { RunningService } from './service.ts';

/**
 * On an uncaught exception (or an unhandled rejection, which Node turns into one), logs it as
 * fatal, shuts down as gracefully as the shutdown deadline allows, and exits with code 1: the
 * process is in an unknown state and must not keep serving. (Signals are handled by the
 * service's shutdown coordinator: `startService(options, { signals: ['SIGTERM', 'SIGINT'] })`.)
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
