import { invalidArgument } from '@rampart/errors';
import type { ActiveWork, TrackOptions } from '../track.ts';
import { pipelineMetricNames } from '../track.ts';
import type { Clock } from '../types.ts';
import { NEVER_ABORTED } from './base-metric.ts';
import { errorTypeOf } from './error-type.ts';
import type { GaugeMetric } from './gauge-metric.ts';
import type { HistogramMetric } from './histogram-metric.ts';
import type { MetricFactory } from './metric-factory.ts';

export interface PipelineTracker {
  track<Result>(name: string, fn: (signal: AbortSignal) => Result, options?: TrackOptions): Result;
  trackActive(name: string): ActiveWork;
}

/** `track` and `trackActive` over the pipeline metrics, created on first use. */
export function createPipelineTracker(
  factory: MetricFactory,
  clock: Clock,
  buckets: readonly number[],
): PipelineTracker {
  let duration: HistogramMetric | undefined;
  let active: GaugeMetric | undefined;
  const durationMetric = (): HistogramMetric => {
    duration ??= factory.histogram(
      {
        name: pipelineMetricNames.duration,
        help: 'Duration of units of work (pipelines); error_type is empty on success.',
        labelNames: ['pipeline', 'error_type'],
        buckets,
      },
      'metrics.track',
    );
    return duration;
  };
  const activeMetric = (where: string): GaugeMetric => {
    active ??= factory.gauge(
      {
        name: pipelineMetricNames.active,
        help: 'Units of work (pipelines) running now.',
        labelNames: ['pipeline'],
      },
      where,
    );
    return active;
  };

  return {
    track<Result>(
      name: string,
      fn: (signal: AbortSignal) => Result,
      options?: TrackOptions,
    ): Result {
      checkName('track', name);
      if (typeof fn !== 'function') throw invalidArgument('track', 'fn', 'must be a function', fn);
      const signal = options?.signal ?? NEVER_ABORTED;
      if (!(signal instanceof AbortSignal)) {
        throw invalidArgument('track', 'options.signal', 'must be an AbortSignal', signal);
      }
      const histogram = durationMetric();
      const gauge = activeMetric('metrics.track');
      const labels = { pipeline: name };
      gauge.inc(labels);
      const startMs = clock.now();
      const finish = (errorType: string): void => {
        gauge.dec(labels);
        histogram.observe(
          { pipeline: name, error_type: errorType },
          (clock.now() - startMs) / 1000,
        );
      };
      let result: Result;
      try {
        result = fn(signal);
      } catch (error) {
        finish(errorTypeOf(error));
        throw error;
      }
      if (isThenable(result)) {
        return result.then(
          (value: unknown) => {
            finish('');
            return value;
          },
          (error: unknown) => {
            finish(errorTypeOf(error));
            throw error;
          },
        ) as Result;
      }
      finish('');
      return result;
    },
    trackActive(name: string): ActiveWork {
      checkName('trackActive', name);
      const gauge = activeMetric('metrics.trackActive');
      const labels = { pipeline: name };
      gauge.inc(labels);
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        gauge.dec(labels);
      };
      return { end, [Symbol.dispose]: end };
    },
  };
}

function checkName(where: string, name: unknown): void {
  if (typeof name !== 'string' || name === '') {
    throw invalidArgument(where, 'name', 'must be a non-empty string', name);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
