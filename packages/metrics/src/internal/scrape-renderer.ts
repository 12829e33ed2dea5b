/**
 * One instance's rendering of its registry: concurrent renderings of a format share one, an
 * abandoned one stops early, and each completed one is timed into
 * `rampart_metrics_render_duration_seconds{format}` and published on `metricsChannels.scrape`.
 */
import { channel } from 'node:diagnostics_channel';
import { type MetricsScrapeEvent, metricsChannels } from '../channels.ts';
import type { BoundHistogram } from '../histogram.ts';
import type { Clock, ExpositionFormat } from '../types.ts';
import type { HistogramMetric } from './histogram-metric.ts';
import type { PromRegistry } from './registry-access.ts';
import { renderRegistry } from './render-registry.ts';

const scrapeChannel = channel(metricsChannels.scrape);

export interface RendererOptions {
  readonly registry: PromRegistry;
  /** The instance's name, for events. */
  readonly name: string;
  readonly clock: Clock;
  /** Where render times go; `undefined` when self-metrics are off. */
  readonly renderDuration: HistogramMetric | undefined;
  readonly collectFailed: (metric: string, error: unknown) => void;
}

/** A rendering in progress and how many callers still wait for it. */
interface Rendering {
  readonly promise: Promise<string>;
  readonly controller: AbortController;
  waiters: number;
}

/** Renders the registry in a format; the returned promise rejects early when `signal` aborts. */
export type Renderer = (format: ExpositionFormat, signal?: AbortSignal) => Promise<string>;

/**
 * Returns the function that renders the registry. Concurrent callers of one format share a
 * rendering; it stops at its next pause (and its collect callbacks see their signal abort)
 * only when every caller waiting for it has aborted; a caller without a signal never does.
 */
export function createRenderer(options: RendererOptions): Renderer {
  const { registry, name, clock, renderDuration, collectFailed } = options;
  const timers = new Map<ExpositionFormat, BoundHistogram>();
  const inflight = new Map<ExpositionFormat, Rendering>();

  const timerOf = (format: ExpositionFormat): BoundHistogram | undefined => {
    let timer = timers.get(format);
    if (timer === undefined && renderDuration !== undefined) {
      timer = renderDuration.bind({ format });
      timers.set(format, timer);
    }
    return timer;
  };

  const renderOnce = async (format: ExpositionFormat, signal: AbortSignal): Promise<string> => {
    const startedMs = clock.now();
    const result = await renderRegistry(registry, format, { collectFailed, signal });
    const durationMs = clock.now() - startedMs;
    // A clock that misbehaves must not break scrapes.
    if (Number.isFinite(durationMs)) timerOf(format)?.observe(durationMs / 1000);
    if (scrapeChannel.hasSubscribers) {
      scrapeChannel.publish({
        name,
        format,
        durationMs,
        longestSliceMs: result.longestSliceMs,
        families: result.families,
        samples: result.samples,
        characters: result.text.length,
      } satisfies MetricsScrapeEvent);
    }
    return result.text;
  };

  const start = (format: ExpositionFormat): Rendering => {
    const controller = new AbortController();
    const rendering: Rendering = {
      controller,
      waiters: 0,
      promise: renderOnce(format, controller.signal).finally(() => {
        if (inflight.get(format) === rendering) inflight.delete(format);
      }),
    };
    inflight.set(format, rendering);
    return rendering;
  };

  return (format, signal) => {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const rendering = inflight.get(format) ?? start(format);
    rendering.waiters++;
    if (signal === undefined) return rendering.promise;
    return new Promise<string>((resolve, reject) => {
      const leave = (): void => {
        rendering.waiters--;
        if (rendering.waiters === 0) {
          // Nobody waits any more: stop it at its next pause, and let newcomers start afresh.
          if (inflight.get(format) === rendering) inflight.delete(format);
          rendering.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      rendering.promise.then(
        (text) => {
          signal.removeEventListener('abort', leave);
          resolve(text);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  };
}
