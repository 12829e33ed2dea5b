import type { HealthStatusScope } from '../../events.ts';
import type { HealthCheckResult, HealthReport } from '../../health-report.ts';
import type { HealthGroup, HealthStatus } from '../../health-status.ts';
import { worseStatus } from '../../health-status.ts';
import { publishStatus } from '../channels.ts';

/** Builds a report from the results of a group's checks. */
export function aggregate(
  group: HealthGroup | undefined,
  shuttingDown: boolean,
  checks: Record<string, HealthCheckResult>,
): HealthReport {
  let status: HealthStatus = shuttingDown ? 'fail' : 'pass';
  for (const name in checks)
    status = worseStatus(status, (checks[name] as HealthCheckResult).status);
  return { status, group, shuttingDown, checks };
}

/** Remembers each group's last status and publishes changes. */
export class StatusTracker {
  readonly #name: string;
  readonly #last = new Map<HealthStatusScope, HealthStatus>();

  constructor(name: string) {
    this.#name = name;
  }

  /** The last status reported for `scope`, if any. */
  last(scope: HealthStatusScope): HealthStatus | undefined {
    return this.#last.get(scope);
  }

  record(report: HealthReport): void {
    const scope: HealthStatusScope = report.group ?? 'all';
    const from = this.#last.get(scope);
    if (from === report.status) return;
    this.#last.set(scope, report.status);
    const unhealthy = Object.keys(report.checks).filter(
      (name) => report.checks[name]?.status !== 'pass',
    );
    if (report.shuttingDown) unhealthy.push('shutdown');
    publishStatus({ name: this.#name, group: scope, from, to: report.status, unhealthy });
  }
}
