/**
 * The top of docs/benchmarks.md: a chart and a short table of each package against the best
 * library for its job, read from the generated sections below it (so it can never disagree
 * with them), and a bar chart beside every comparison table. `pnpm bench` and `pnpm run docs`
 * rewrite both; tests/docs.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  barChartSvg,
  barsOf,
  type ChartBar,
  findSections,
  markdownTable,
  withCharts,
} from '../tools/bench-kit/src/index.ts';

export const BENCHMARKS: URL = new URL('../docs/benchmarks.md', import.meta.url);
const IMAGES = new URL('../docs/images/bench/', import.meta.url);
const START = '<!-- bench-summary:start -->';
const END = '<!-- bench-summary:end -->';

/** One headline: Rampart's row against the peer's row of one comparison table. */
interface Headline {
  readonly package: string;
  readonly peer: string;
  readonly section: string;
  /** The table's bold title, as generated. */
  readonly table: string;
  readonly ours: string;
  readonly theirs: string;
}

const headlines: readonly Headline[] = [
  {
    package: 'errors',
    peer: '@hapi/boom',
    section: 'errors',
    table: 'create a 404 error and serialise it for the client',
    ours: 'Rampart toProblem, no stack',
    theirs: '@hapi/boom',
  },
  {
    package: 'logger',
    peer: 'pino',
    section: 'logger',
    table: 'info(object)',
    ours: '@rampart/logger, context + redaction',
    theirs: 'pino (baseline)',
  },
  {
    package: 'cache (L1 hit)',
    peer: 'bentocache',
    section: 'cache.l1',
    table: 'getOrSet, L1 hits spread over 10,000 keys',
    ours: '@rampart/cache',
    theirs: 'bentocache, serialize: false',
  },
  {
    package: 'cache (Redis hit)',
    peer: 'bentocache',
    section: 'cache.tiered',
    table: 'get: L1 miss, L2 (Redis) hit',
    ours: '@rampart/cache',
    theirs: 'bentocache (baseline)',
  },
  {
    package: 'rate-limiter (memory)',
    peer: 'rate-limiter-flexible',
    section: 'rate-limiter.memory',
    table: 'memory store, one limit, calls under the limit (1,000 keys)',
    ours: 'Rampart, gcra (default)',
    theirs: 'rate-limiter-flexible RateLimiterMemory (baseline)',
  },
  {
    package: 'rate-limiter (Redis)',
    peer: 'rate-limiter-flexible',
    section: 'rate-limiter.redis',
    table: 'Redis store, one limit, 64 decisions in flight',
    ours: 'Rampart, gcra (default)',
    theirs: 'rate-limiter-flexible RateLimiterRedis (baseline)',
  },
  {
    package: 'circuit-breaker',
    peer: 'opossum',
    section: 'circuit-breaker.overhead',
    table: 'one successful call through a closed breaker',
    ours: 'Rampart execute, defaults (10 s timeout, per-call signal)',
    theirs: 'opossum fire, defaults (10 s timeout) (baseline)',
  },
  {
    package: 'retry',
    peer: 'p-retry',
    section: 'retry.overhead',
    table: 'successful async call',
    ours: '@rampart/retry policy.execute',
    theirs: 'p-retry (baseline)',
  },
  {
    package: 'metrics',
    peer: 'prom-client',
    section: 'metrics',
    table: 'observe a duration with 3 labels (64 label sets, cycled)',
    ours: 'Rampart observe(labels, value)',
    theirs: 'prom-client observe(labels, value) (baseline)',
  },
];

/** The bars of table `title` in section `id` of `document`. */
function tableBars(document: string, id: string, title: string): ChartBar[] {
  const section = findSections(document).find((found) => found.id === id);
  if (section === undefined) throw new Error(`docs/benchmarks.md has no section "${id}"`);
  const lines = document.slice(section.startIndex, section.endIndex).split('\n');
  const at = lines.indexOf(`**${title}**`);
  if (at === -1) throw new Error(`section "${id}" has no table "${title}"`);
  let start = at + 1;
  while (!(lines[start] ?? '|').startsWith('|')) start++;
  let end = start;
  while ((lines[end] ?? '').startsWith('|')) end++;
  return barsOf(lines.slice(start, end)) ?? [];
}

/** Each headline's ratio: Rampart's speed over the peer's, from the section's table. */
export function headlineRatios(document: string): { headline: Headline; ratio: number }[] {
  return headlines.map((headline) => {
    const bars = tableBars(document, headline.section, headline.table);
    const find = (label: string): number => {
      const bar = bars.find((candidate) => candidate.label === label);
      if (bar === undefined) throw new Error(`table "${headline.table}" has no row "${label}"`);
      return bar.ratio;
    };
    return { headline, ratio: find(headline.ours) / find(headline.theirs) };
  });
}

function format(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

/** The summary's markdown, and the document with every chart in place and the summary. */
export function renderBenchmarks(document: string): {
  markdown: string;
  charts: Map<string, string>;
} {
  const charts = new Map<string, string>();
  let next = document;
  for (const section of findSections(document).reverse()) {
    const marker = `<!-- bench:${section.id}:start -->`;
    const inner = next.slice(
      section.startIndex + marker.length,
      section.endIndex - `<!-- bench:${section.id}:end -->`.length,
    );
    const charted = withCharts(section.id, inner);
    for (const [file, svg] of charted.charts) charts.set(file, svg);
    next =
      next.slice(0, section.startIndex + marker.length) +
      charted.markdown +
      next.slice(section.endIndex - `<!-- bench:${section.id}:end -->`.length);
  }
  const ratios = headlineRatios(next);
  charts.set(
    'summary.svg',
    barChartSvg(
      'Each package against the best library for its job',
      ratios.map(({ headline, ratio }) => ({
        label: `${headline.package} vs ${headline.peer}`,
        ratio,
        kind: 'rampart',
      })),
    ),
  );
  const table = markdownTable(
    ['package', 'against', 'what', 'Rampart’s speed (higher is better)'],
    ratios.map(({ headline, ratio }) => [
      headline.package,
      headline.peer,
      headline.table,
      format(ratio),
    ]),
  );
  const summary = [
    '![Each package against the best library for its job: Rampart’s speed as a multiple of the peer’s, higher is better](images/bench/summary.svg)',
    '',
    table,
  ].join('\n');
  const start = next.indexOf(START);
  const end = next.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/benchmarks.md lacks ${START} … ${END}`);
  next = `${next.slice(0, start + START.length)}\n${summary}\n${next.slice(end)}`;
  return { markdown: next, charts };
}

/** Rewrites docs/benchmarks.md and its charts; true when anything changed. */
export function writeBenchmarks(): boolean {
  const current = readFileSync(BENCHMARKS, 'utf8');
  const { markdown, charts } = renderBenchmarks(current);
  let changed = markdown !== current;
  for (const [file, svg] of charts) {
    const url = new URL(file, IMAGES);
    let old: string | undefined;
    try {
      old = readFileSync(url, 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== svg) {
      writeFileSync(url, svg);
      changed = true;
    }
  }
  if (markdown !== current) writeFileSync(BENCHMARKS, markdown);
  return changed;
}
