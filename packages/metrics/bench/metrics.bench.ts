/**
 * Recording and scraping: @rampart/metrics against raw prom-client, in the same process.
 * Run: `pnpm bench metrics` (or `node scripts/bench.ts metrics`).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { compare, measureMemory, ratio, report } from '@rampart/bench-kit';
import { Counter, Histogram, Registry } from 'prom-client';
import { createMetrics, HTTP_SERVER_DURATION_BUCKETS, type Metrics } from '../src/index.ts';

const buckets = [...HTTP_SERVER_DURATION_BUCKETS];
const labelNames = ['method', 'route', 'status'] as const;
type Labels = { method: string; route: string; status: string };

/** 64 label sets and 1,024 values, cycled through so no call repeats the previous one. */
const labelSets: Labels[] = Array.from({ length: 64 }, (_, index) => ({
  method: ['GET', 'POST', 'PUT', 'DELETE'][index % 4] ?? 'GET',
  route: `/api/resource-${index % 16}/:id`,
  status: ['200', '201', '404', '500'][Math.floor(index / 16)] ?? '200',
}));
const values = Array.from({ length: 1024 }, (_, index) => ((index * 7919) % 10_000) / 1000);
let next = 0;

// --- recording -------------------------------------------------------------------------------

const promRegistry = new Registry();
const promHistogram = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration.',
  labelNames,
  buckets,
  registers: [promRegistry],
});
const promChildren = labelSets.map((labels) => promHistogram.labels(labels));
const metrics = createMetrics();
const histogram = metrics.histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration.',
  labelNames,
  buckets,
});
const bound = labelSets.map((labels) => histogram.bind(labels));

const observe = await compare('observe a duration with 3 labels (64 label sets, cycled)', {
  baseline: 'prom-client observe(labels, value)',
  cases: [
    {
      name: 'prom-client observe(labels, value)',
      fn: () => {
        const index = next++;
        promHistogram.observe(labelSets[index & 63] as Labels, values[index & 1023] as number);
      },
    },
    {
      name: 'prom-client labels(…) child, kept',
      fn: () => {
        const index = next++;
        promChildren[index & 63]?.observe(values[index & 1023] as number);
      },
    },
    {
      name: 'Rampart observe(labels, value)',
      fn: () => {
        const index = next++;
        histogram.observe(labelSets[index & 63] as Labels, values[index & 1023] as number);
      },
    },
    {
      name: 'Rampart bind(labels), kept',
      fn: () => {
        const index = next++;
        bound[index & 63]?.observe(values[index & 1023] as number);
      },
    },
  ],
});

const promCounter = new Counter({
  name: 'jobs_total',
  help: 'Jobs.',
  labelNames,
  registers: [promRegistry],
});
const counter = metrics.counter({ name: 'jobs_total', help: 'Jobs.', labelNames });
const boundCounters = labelSets.map((labels) => counter.bind(labels));
const increment = await compare('increment a counter with 3 labels', {
  baseline: 'prom-client inc(labels)',
  cases: [
    {
      name: 'prom-client inc(labels)',
      fn: () => promCounter.inc(labelSets[next++ & 63] as Labels),
    },
    { name: 'Rampart inc(labels)', fn: () => counter.inc(labelSets[next++ & 63] as Labels) },
    { name: 'Rampart bind(labels), kept', fn: () => boundCounters[next++ & 63]?.inc() },
  ],
});

// --- scraping 12,000 histogram series -----------------------------------------------------------

const SERIES = 12_000;
const seriesLabels: Labels[] = Array.from({ length: SERIES }, (_, index) => ({
  method: ['GET', 'POST', 'PUT', 'DELETE'][index % 4] ?? 'GET',
  route: `/api/resource-${Math.floor(index / 12)}/:id`,
  status: ['200', '404', '500'][Math.floor(index / 4) % 3] ?? '200',
}));

function promScrapeRegistry(): Registry {
  const registry = new Registry();
  const wide = new Histogram({
    name: 'wide_seconds',
    help: 'Wide.',
    labelNames,
    buckets,
    registers: [registry],
  });
  for (const [index, labels] of seriesLabels.entries()) {
    wide.observe(labels, values[index & 1023] as number);
  }
  return registry;
}

function rampartScrapeMetrics(): Metrics {
  const scraped = createMetrics();
  const wide = scraped.histogram({
    name: 'wide_seconds',
    help: 'Wide.',
    labelNames,
    buckets,
    maxSeries: SERIES,
  });
  for (const [index, labels] of seriesLabels.entries()) {
    wide.observe(labels, values[index & 1023] as number);
  }
  return scraped;
}

const promScrape = promScrapeRegistry();
const rampartScrape = rampartScrapeMetrics();
const promText = await promScrape.metrics();
const rampartText = await rampartScrape.render();

const scrape = await compare(`render a scrape of ${SERIES.toLocaleString('en')} histogram series`, {
  baseline: 'prom-client registry.metrics()',
  rounds: 12,
  cases: [
    { name: 'prom-client registry.metrics()', fn: () => promScrape.metrics() },
    { name: 'Rampart metrics.render()', fn: () => rampartScrape.render() },
  ],
});

/** The longest time the event loop went without a turn while `render` ran, in milliseconds. */
async function longestStallMs(render: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const watch = (async () => {
    while (running) {
      await nextTurn();
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }
  })();
  const started = performance.now();
  await render();
  const total = performance.now() - started;
  running = false;
  await watch;
  return Math.min(longest, total);
}

async function medianStall(
  render: () => Promise<unknown>,
): Promise<{ stall: number; total: number }> {
  const stalls: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < 9; run++) {
    globalThis.gc?.();
    const started = performance.now();
    stalls.push(await longestStallMs(render));
    totals.push(performance.now() - started);
  }
  const middle = (list: number[]): number =>
    list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  return { stall: middle(stalls), total: middle(totals) };
}

const promStall = await medianStall(() => promScrape.metrics());
const rampartStall = await medianStall(() => rampartScrape.render());
console.log(
  `longest event-loop stall: prom-client ${promStall.stall.toFixed(1)} ms of ${promStall.total.toFixed(1)} ms, Rampart ${rampartStall.stall.toFixed(1)} ms of ${rampartStall.total.toFixed(1)} ms`,
);

const promBytes = await measureMemory(() => promScrapeRegistry(), { samples: 3 });
const rampartBytes = await measureMemory(() => rampartScrapeMetrics(), { samples: 3 });

const row = (result: typeof observe, name: string): number =>
  result.rows.find((candidate) => candidate.name === name)?.relativeToBaseline ?? Number.NaN;
const boundRatio = row(observe, 'Rampart bind(labels), kept');
const labelledRatio = row(observe, 'Rampart observe(labels, value)');

await report('metrics', { title: '@rampart/metrics', rerun: 'pnpm bench metrics' })
  .text(
    'Recording into a histogram with the OpenTelemetry HTTP buckets and 3 labels (method, route ' +
      'template, status), against raw prom-client 15 in the same process. Every call uses the next ' +
      'of 64 label sets and 1,024 values, so nothing is constant-folded.',
  )
  .compareTable(observe)
  .text(
    `A kept bound handle observes ${ratio(boundRatio)} as fast as prom-client's labelled ` +
      `\`observe\`; the labelled path is ${ratio(labelledRatio)} as fast. ` +
      "prom-client's own `labels()` children still build the label key on " +
      'every call, so keeping one gains little there.',
  )
  .compareTable(increment)
  .heading(`Scraping ${SERIES.toLocaleString('en')} histogram series`)
  .text(
    `One histogram with ${SERIES.toLocaleString('en')} label sets and 14 buckets: ` +
      `${(promText.length / 1e6).toFixed(1)} MB of text from prom-client, ` +
      `${(rampartText.length / 1e6).toFixed(1)} MB from Rampart (the same samples, plus its ` +
      'self-metrics). Rendering time, one rendering per call:',
  )
  .compareTable(scrape)
  .text(
    'What the rest of the process sees meanwhile: the longest stretch without a turn of the event ' +
      'loop (a timer or a request waits at least that long), the median of 9 scrapes each. ' +
      'prom-client renders a metric family in one synchronous pass; Rampart yields every 2,048 samples.',
  )
  .table(
    [
      'library',
      'scrape wall time (ms)',
      'longest event-loop stall (ms)',
      'heap for the series (MB)',
    ],
    [
      ['prom-client 15', round(promStall.total), round(promStall.stall), round(promBytes / 1e6)],
      ['Rampart', round(rampartStall.total), round(rampartStall.stall), round(rampartBytes / 1e6)],
    ],
  )
  .write();

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
