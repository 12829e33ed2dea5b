/**
 * The status of a check or a report, as in the IETF "Health Check Response Format for HTTP
 * APIs": `pass` (healthy), `warn` (healthy, with a concern) or `fail` (unhealthy).
 */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/**
 * A probe group, after the three Kubernetes probes:
 * - `liveness`: is the process itself working? A failure gets the process restarted, so only
 *   checks of the process belong here (event loop, heap), never external dependencies;
 * - `readiness`: should this instance get traffic now? Dependencies belong here; it fails at
 *   once when a shutdown starts;
 * - `startup`: has the process finished starting? Until it passes, the other probes wait.
 */
export type HealthGroup = 'liveness' | 'readiness' | 'startup';

/** The probe groups, in a fixed order. */
export const healthGroups: readonly HealthGroup[] = Object.freeze([
  'liveness',
  'readiness',
  'startup',
] as const);

const SEVERITY: Readonly<Record<HealthStatus, number>> = { pass: 0, warn: 1, fail: 2 };

/**
 * The worse of two statuses: `fail` over `warn` over `pass`.
 *
 * @example
 * ```ts
 * import { worseStatus } from '@rampart/health';
 *
 * worseStatus('pass', 'warn'); // 'warn'
 * ```
 */
export function worseStatus(a: HealthStatus, b: HealthStatus): HealthStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}
