import type { HealthCheck, HealthCheckContext, HealthCheckReturn } from './health-check.ts';

/** A check whose runs the test settles by hand. */
export interface ControlledCheck {
  readonly check: HealthCheck;
  readonly runs: {
    readonly context: HealthCheckContext;
    resolve(value?: HealthCheckReturn): void;
    reject(error: unknown): void;
  }[];
}

/** A check that records each run and waits for the test to settle it. */
export function controlledCheck(): ControlledCheck {
  const runs: ControlledCheck['runs'] = [];
  const check: HealthCheck = (context) =>
    new Promise<HealthCheckReturn>((resolve, reject) => {
      runs.push({ context, resolve, reject });
    });
  return { check, runs };
}
