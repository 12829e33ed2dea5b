import type { HealthReport } from '../../health-report.ts';
import type { HealthStatus } from '../../health-status.ts';

/** One entry of `checks` in an `application/health+json` body. */
interface HealthJsonCheck {
  status: HealthStatus;
  time: string;
  durationMs: number;
  critical: boolean;
  output?: string;
  observedValue?: number;
  observedUnit?: string;
}

/** An `application/health+json` body. */
export interface HealthJson {
  status: HealthStatus;
  output?: string;
  checks?: Record<string, HealthJsonCheck[]>;
}

/**
 * The body of a probe's answer: the status alone, or with the checks (each as a one-element
 * array, as the format keys checks by `component:measurement`). The check error is never
 * read here: only outputs the checks chose, or the registry's own safe descriptions.
 */
export function toHealthJson(
  status: HealthStatus,
  report: HealthReport | undefined,
  details: boolean,
): HealthJson {
  if (!details || report === undefined) return { status };
  const body: HealthJson = { status };
  if (report.shuttingDown) body.output = 'shutting down';
  const checks: Record<string, HealthJsonCheck[]> = {};
  for (const [name, result] of Object.entries(report.checks)) {
    const entry: HealthJsonCheck = {
      status: result.status,
      time: result.observedAt,
      durationMs: result.durationMs,
      critical: result.critical,
    };
    if (result.output !== undefined) entry.output = result.output;
    if (result.observedValue !== undefined) entry.observedValue = result.observedValue;
    if (result.observedUnit !== undefined) entry.observedUnit = result.observedUnit;
    checks[name] = [entry];
  }
  body.checks = checks;
  return body;
}
