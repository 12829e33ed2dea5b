/**
 * What `instrument()` records from this package's own channels: scrape health and series
 * budgets of every metrics instance in the process, labelled by instance.
 */
import type {
  MetricsCollectErrorEvent,
  MetricsOverflowEvent,
  MetricsScrapeEvent,
} from '../channels.ts';
import { metricsChannels } from '../channels.ts';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import { errorTypeOf } from './error-type.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { secondsOf } from './instrument-recorder.ts';

export function instrumentMetrics(recorder: Recorder): PackageInstrumentation {
  const budgetReached = recorder.counter({
    name: names.metricsBudgetReached,
    help: 'Metrics that reached their series budget and began folding new label sets into overflow="true".',
    labelNames: ['metric'],
  });
  const collectFailures = recorder.counter({
    name: names.metricsCollectFailures,
    help: 'collect callbacks that failed during a scrape, by metric and error.',
    labelNames: ['metric', 'error_type'],
  });
  const longestSlice = recorder.histogram({
    name: names.metricsScrapeLongestSlice,
    help: 'The longest stretch one scrape held the event loop without a pause, in seconds.',
    labelNames: ['format'],
  });
  const samples = recorder.gauge({
    name: names.metricsScrapeSamples,
    help: 'Samples rendered by the latest scrape.',
    labelNames: ['format'],
  });

  const listeners: ChannelListeners<typeof metricsChannels> = {
    overflow(event: MetricsOverflowEvent) {
      budgetReached(event.name, { metric: event.metric });
    },
    collectError(event: MetricsCollectErrorEvent) {
      collectFailures(event.name, {
        metric: event.metric,
        error_type: event.code ?? errorTypeOf(event.error),
      });
    },
    scrape(event: MetricsScrapeEvent) {
      longestSlice(event.name, { format: event.format }, secondsOf(event.longestSliceMs));
      samples(event.name, { format: event.format }, event.samples);
    },
  };
  return { channels: metricsChannels, listeners };
}
