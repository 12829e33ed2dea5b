import type { ShutdownPhase } from '../../events.ts';
import type { ShutdownLogger } from '../../shutdown-options.ts';
import { publishShutdown } from '../channels.ts';

/** One phase of a shutdown, as published and logged. */
export interface PhaseReport {
  readonly name: string;
  readonly phase: ShutdownPhase;
  readonly reason: string;
  readonly elapsedMs: number;
  readonly handler?: string;
  readonly error?: unknown;
  readonly pending?: readonly string[];
  /** Extra facts for the log line. */
  readonly facts?: Readonly<Record<string, unknown>>;
}

function message(report: PhaseReport): string {
  const facts = report.facts ?? {};
  switch (report.phase) {
    case 'started':
      return report.reason.startsWith('SIG')
        ? `shutdown: ${report.reason} received; readiness fails from now on`
        : `shutdown: ${report.reason}; readiness fails from now on`;
    case 'draining':
      return `shutdown: waiting ${String(facts.drainDelayMs)} ms for load balancers to stop sending traffic`;
    case 'closing-servers':
      return `shutdown: stopped accepting connections, draining ${String(facts.inFlight)} requests`;
    case 'handler-started':
      return `shutdown: closing ${report.handler}`;
    case 'handler-finished':
      return `shutdown: closed ${report.handler}`;
    case 'handler-failed':
      return `shutdown: closing ${report.handler} failed`;
    case 'completed':
      return 'shutdown complete';
    case 'forced':
      return `shutdown: ${String(facts.why)}; still running: ${(report.pending ?? []).join(', ') || 'nothing'}; exiting with code ${String(facts.code)}`;
  }
}

/**
 * Publishes a phase on `rampart:health:shutdown` and logs it. A logger that throws (closed
 * by a handler already) never stops the shutdown.
 */
export function reportPhase(logger: ShutdownLogger | undefined, report: PhaseReport): void {
  publishShutdown({
    name: report.name,
    phase: report.phase,
    reason: report.reason,
    elapsedMs: report.elapsedMs,
    handler: report.handler,
    error: report.error,
    pending: report.pending ?? [],
  });
  if (logger === undefined) return;
  const details: Record<string, unknown> = {
    phase: report.phase,
    reason: report.reason,
    elapsedMs: report.elapsedMs,
    ...report.facts,
  };
  if (report.handler !== undefined) details.handler = report.handler;
  if (report.pending !== undefined) details.pending = report.pending;
  try {
    if (report.phase === 'forced') logger.error(details, message(report));
    else if (report.phase === 'handler-failed') {
      logger.error({ ...details, err: report.error }, message(report));
    } else logger.info(details, message(report));
  } catch {
    // a closed logger must not break the shutdown
  }
}
