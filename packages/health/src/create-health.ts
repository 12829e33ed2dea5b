import { ConfigurationError, invalidArgument } from '@rampart/errors';
import { type Clock, systemClock } from './clock.ts';
import type { HealthCheck, HealthCheckDefinition, HealthCheckOptions } from './health-check.ts';
import type { HealthCheckResult, HealthReport } from './health-report.ts';
import { type HealthGroup, healthGroups } from './health-status.ts';
import { aggregate, StatusTracker } from './internal/registry/aggregate.ts';
import { CheckEntry } from './internal/registry/check-entry.ts';
import {
  type DefinitionInput,
  parseCheckOptions,
  parseHealthOptions,
} from './internal/registry/options-schema.ts';

/** Options of {@link createHealth}. */
export interface HealthOptions {
  /**
   * The registry's name, in events, metrics (`name` label) and logs.
   *
   * @defaultValue `'default'`
   */
  readonly name?: string;
  /** Checks to register at once, by name: a function, or a function with its options. */
  readonly checks?: Readonly<Record<string, HealthCheck | HealthCheckDefinition>>;
  /**
   * The default deadline of each check, in milliseconds.
   *
   * @defaultValue `500`: well inside Kubernetes' default probe timeout of one second, so a
   * slow dependency shows up as a failed check instead of a probe that timed out.
   */
  readonly timeoutMs?: number;
  /**
   * How long a check's result is reused by default, in milliseconds.
   *
   * @defaultValue `0`: every probe sees the current state (concurrent probes still share one
   * run); set it per check for dependencies that must not be hammered.
   */
  readonly cacheMs?: number;
  /**
   * The time source of durations, timestamps and the cache.
   *
   * @defaultValue `Date.now()`
   */
  readonly clock?: Clock;
}

/** Options of {@link Health.check}. */
export interface HealthCheckCallOptions {
  /** Stops waiting: `check()` rejects with the signal's reason (the runs go on to their deadline). */
  readonly signal?: AbortSignal;
}

/** A registry of health checks, from {@link createHealth}. */
export interface Health {
  /**
   * Registers a check under a unique name.
   *
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the name is
   * taken or empty, the check is not a function or an option is invalid.
   */
  add(name: string, check: HealthCheck, options?: HealthCheckOptions): void;
  /** Removes a check; `false` when there was none of that name. */
  remove(name: string): boolean;
  /**
   * Runs the checks of `group` (every check when `undefined`), each under its own deadline,
   * reusing fresh cached results and sharing runs already in progress, and aggregates them.
   * Never rejects because of a check; once a shutdown started, readiness reports `fail`
   * without running its checks.
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `group` is not a
   * probe group.
   */
  check(group?: HealthGroup, options?: HealthCheckCallOptions): Promise<HealthReport>;
  /**
   * Turns readiness (and the report over every check) to `fail` from now on, before anything
   * else of a shutdown happens. {@link createShutdown} calls it on the first signal.
   */
  markShuttingDown(): void;
  /** Whether {@link Health.markShuttingDown} was called. */
  readonly shuttingDown: boolean;
  /** The names of the registered checks, in registration order. */
  names(): string[];
}

const FAILS_WHEN_SHUTTING_DOWN: ReadonlySet<HealthGroup | undefined> = new Set([
  'readiness',
  undefined,
]);

/**
 * Creates a registry of health checks grouped as liveness, readiness and startup probes.
 *
 * @remarks
 * Every check runs under its own deadline with an `AbortSignal`; one that throws
 * (synchronously or not), times out or returns `fail` is down. A down critical check fails
 * the report; a down non-critical one makes it `warn`. Results can be cached per check
 * (`cacheMs`) and concurrent probes of one check share one run. Serve a group over HTTP with
 * {@link healthHandler}.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming each
 * invalid option.
 *
 * @example
 * ```ts
 * import { createHealth, eventLoopDelayCheck } from '@rampart/health';
 *
 * const health = createHealth({ timeoutMs: 300 });
 * health.add('event-loop', eventLoopDelayCheck({ thresholdMs: 500 }), { groups: ['liveness'] });
 * health.add('database', async ({ signal }) => {
 *   signal.throwIfAborted();
 * }, { cacheMs: 2_000 });
 *
 * const report = await health.check('readiness');
 * console.log(report.status); // 'pass'
 * ```
 */
export function createHealth(options: HealthOptions = {}): Health {
  const parsed = parseHealthOptions(options);
  const clock = parsed.clock ?? systemClock;
  const defaultTimeoutMs = parsed.timeoutMs ?? 500;
  const defaultCacheMs = parsed.cacheMs ?? 0;
  const registryName = parsed.name ?? 'default';
  const entries = new Map<string, CheckEntry>();
  const tracker = new StatusTracker(registryName);
  let shuttingDown = false;

  const register = (
    name: string,
    check: HealthCheck,
    given: Omit<DefinitionInput, 'check'>,
  ): void => {
    if (entries.has(name)) {
      throw new ConfigurationError(`add: \`name\` "${name}" is already registered`);
    }
    const entry = new CheckEntry(
      registryName,
      name,
      check,
      {
        groups: Object.freeze([...new Set<HealthGroup>(given.groups ?? ['readiness'])]),
        critical: given.critical ?? true,
        timeoutMs: given.timeoutMs ?? defaultTimeoutMs,
        cacheMs: given.cacheMs ?? defaultCacheMs,
      },
      clock,
    );
    entries.set(name, entry);
  };

  for (const [name, definition] of Object.entries(parsed.checks ?? {})) {
    if (typeof definition === 'function') register(name, definition, {});
    else register(name, definition.check, definition);
  }

  const collect = async (group: HealthGroup | undefined): Promise<HealthReport> => {
    if (shuttingDown && FAILS_WHEN_SHUTTING_DOWN.has(group)) return aggregate(group, true, {});
    const checks: Record<string, HealthCheckResult> = {};
    let pending: Promise<void>[] | undefined;
    for (const entry of entries.values()) {
      if (!entry.belongsTo(group)) continue;
      const fresh = entry.fresh();
      if (fresh !== undefined) {
        checks[entry.name] = fresh;
        continue;
      }
      checks[entry.name] = undefined as unknown as HealthCheckResult; // keeps registration order
      pending ??= [];
      pending.push(
        entry.run().then((result) => {
          checks[entry.name] = result;
        }),
      );
    }
    if (pending !== undefined) await Promise.all(pending);
    return aggregate(group, shuttingDown && FAILS_WHEN_SHUTTING_DOWN.has(group), checks);
  };

  return {
    add(name, check, checkOptions) {
      if (typeof name !== 'string' || name.length === 0) {
        throw new ConfigurationError(
          `add: \`name\` must be a non-empty string (got ${JSON.stringify(name) ?? String(name)})`,
        );
      }
      if (typeof check !== 'function') {
        throw new ConfigurationError(`add: \`check\` must be a function (got ${typeof check})`);
      }
      register(name, check, parseCheckOptions(checkOptions));
    },
    remove: (name) => entries.delete(name),
    async check(group, callOptions) {
      if (group !== undefined && !healthGroups.includes(group)) {
        throw invalidArgument('check', 'group', 'must be liveness, readiness or startup', group);
      }
      const signal = callOptions?.signal;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw invalidArgument('check', 'signal', 'must be an AbortSignal', signal);
      }
      signal?.throwIfAborted();
      const report = await (signal === undefined
        ? collect(group)
        : untilAborted(collect(group), signal));
      tracker.record(report);
      return report;
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    names: () => [...entries.keys()],
  };
}

/** Resolves like `promise`, or rejects with the signal's reason once it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
