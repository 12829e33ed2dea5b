/**
 * What a metrics instance owns and releases on `close()`, and the internals that code built
 * on a public `Metrics` object needs (the HTTP preset; `instrument(metrics)`, which
 * subscribes to the other packages' diagnostics channels, `defer`s its unsubscription
 * here). Kept off the public interface in a `WeakMap`.
 */
import { ConfigurationError } from '@rampart/errors';
import type { Metrics } from '../metrics.ts';
import type { Clock } from '../types.ts';
import type { MetricFactory } from './metric-factory.ts';

export interface MetricsInternals {
  readonly clock: Clock;
  readonly factory: MetricFactory;
  readonly lifecycle: Lifecycle;
}

/** Cleanups run once, last registered first, on `close()`. */
export class Lifecycle {
  private readonly cleanups: (() => void | Promise<void>)[] = [];
  private closing: Promise<void> | undefined;

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Registers a cleanup; after close it runs at once. Returns a function that withdraws it
   * (for owners that release early, so the list does not grow with every attach/detach).
   */
  defer(cleanup: () => void | Promise<void>): () => void {
    if (this.closing !== undefined) {
      void Promise.resolve().then(cleanup);
      return () => {};
    }
    this.cleanups.push(cleanup);
    return () => {
      const index = this.cleanups.indexOf(cleanup);
      if (index !== -1) this.cleanups.splice(index, 1);
    };
  }

  /** Runs every cleanup, even when one fails; rejects with the first failure. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.runCleanups();
    return this.closing;
  }

  private async runCleanups(): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.cleanups.length = 0;
    if (failure !== undefined) throw failure.error;
  }
}

const internals = new WeakMap<Metrics, MetricsInternals>();

export function attachInternals(metrics: Metrics, value: MetricsInternals): void {
  internals.set(metrics, value);
}

/**
 * The internals of an instance made by `createMetrics`.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `metrics` was not made by `createMetrics`.
 */
export function internalsOf(metrics: Metrics, where: string): MetricsInternals {
  const value =
    typeof metrics === 'object' && metrics !== null ? internals.get(metrics) : undefined;
  if (value === undefined) {
    throw new ConfigurationError(
      `${where}: \`metrics\` must be an instance made by createMetrics()`,
      {
        issues: [
          {
            path: 'metrics',
            message: 'must be an instance made by createMetrics()',
            code: 'invalid_type',
          },
        ],
      },
    );
  }
  return value;
}
