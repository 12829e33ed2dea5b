import { isRampartError } from '@rampart/errors';
import type { Clock } from '../../clock.ts';
import type { HealthCheck } from '../../health-check.ts';
import type { HealthCheckResult } from '../../health-report.ts';
import type { HealthGroup } from '../../health-status.ts';
import { hasCheckSubscribers, publishCheck } from '../channels.ts';
import { type RunOutcome, runCheck } from './run-check.ts';

/** A registered check's settings, after defaults. */
export interface EntrySettings {
  readonly groups: readonly HealthGroup[];
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly cacheMs: number;
}

function toResult(
  run: RunOutcome,
  critical: boolean,
  durationMs: number,
  endedAt: number,
  cached: boolean,
): HealthCheckResult {
  const status = run.checkStatus === 'fail' && !critical ? 'warn' : run.checkStatus;
  const result: {
    -readonly [Key in keyof HealthCheckResult]: HealthCheckResult[Key];
  } = {
    status,
    checkStatus: run.checkStatus,
    critical,
    durationMs,
    observedAt: new Date(endedAt).toISOString(),
    cached,
  };
  if (run.output !== undefined) result.output = run.output;
  if (run.observedValue !== undefined) result.observedValue = run.observedValue;
  if (run.observedUnit !== undefined) result.observedUnit = run.observedUnit;
  if (run.error !== undefined) {
    Object.defineProperty(result, 'error', { value: run.error, enumerable: false });
  }
  return Object.freeze(result);
}

/**
 * One registered check with its cache and its single flight: concurrent probes share the
 * run in progress, and a result is reused until `cacheMs` has passed since the run ended.
 */
export class CheckEntry {
  readonly name: string;
  readonly settings: EntrySettings;
  readonly #registry: string;
  readonly #check: HealthCheck;
  readonly #clock: Clock;
  #inFlight: Promise<HealthCheckResult> | undefined;
  #cached: HealthCheckResult | undefined;
  #cachedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    registry: string,
    name: string,
    check: HealthCheck,
    settings: EntrySettings,
    clock: Clock,
  ) {
    this.#registry = registry;
    this.name = name;
    this.#check = check;
    this.settings = settings;
    this.#clock = clock;
  }

  /** Whether the check belongs to `group` (every check belongs to `undefined`). */
  belongsTo(group: HealthGroup | undefined): boolean {
    return group === undefined || this.settings.groups.includes(group);
  }

  /** The cached result while it is fresh; otherwise `undefined`. */
  fresh(): HealthCheckResult | undefined {
    if (this.#cached === undefined || this.#clock.now() >= this.#cachedUntil) return undefined;
    return this.#cached;
  }

  /** The run in progress, or a new one. */
  run(): Promise<HealthCheckResult> {
    this.#inFlight ??= this.#start();
    return this.#inFlight;
  }

  async #start(): Promise<HealthCheckResult> {
    const { critical, timeoutMs, cacheMs } = this.settings;
    const startedAt = this.#clock.now();
    try {
      const run = await runCheck(this.#check, timeoutMs);
      const endedAt = this.#clock.now();
      const durationMs = Math.max(0, endedAt - startedAt);
      const result = toResult(run, critical, durationMs, endedAt, false);
      if (cacheMs > 0) {
        this.#cached = toResult(run, critical, durationMs, endedAt, true);
        this.#cachedUntil = endedAt + cacheMs;
      }
      if (hasCheckSubscribers()) {
        publishCheck({
          name: this.#registry,
          check: this.name,
          status: result.status,
          checkStatus: run.checkStatus,
          critical,
          durationMs,
          timedOut: run.timedOut,
          error: run.error,
          code: isRampartError(run.error) ? run.error.code : undefined,
        });
      }
      return result;
    } finally {
      this.#inFlight = undefined;
    }
  }
}
