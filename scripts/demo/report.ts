import { STATUS_CODES } from 'node:http';
import {
  countBy,
  histogramQuantile,
  latencySummary,
  type Sample,
  total,
  totalsBy,
} from '../../examples/hardened-service/traffic/index.ts';

import type { ScenarioResult } from './scenario.ts';
import { FLOOD_CLIENT, NORMAL_CLIENTS, PHASES } from './scenario.ts';
import type { LogLine, ServiceExit } from './service-process.ts';

const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const percent = (part: number, whole: number): string =>
  whole === 0 ? '–' : `${Math.round((100 * part) / whole)} %`;
const ms = (value: number): string =>
  Number.isNaN(value) ? '–' : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
const seconds = (valueMs: number): string => `+${(valueMs / 1000).toFixed(1)} s`;

function row(title: string, lines: readonly string[]): string {
  const [first = '', ...rest] = lines;
  return [`${title.padEnd(17)}${first}`, ...rest.map((line) => `${' '.repeat(17)}${line}`)].join(
    '\n',
  );
}

function joined(counts: Map<string, number>, describe: (key: string) => string): string {
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${describe(key)} ${count(value)}`)
    .join(' · ');
}

/** The requests section: volume, statuses and problem codes. */
function requestsSection(result: ScenarioResult): string {
  const { samples } = result;
  const hung = samples.filter((sample) => sample.status === 0).length;
  const rate = samples.length / (result.durationMs / 1000);
  return row('Requests', [
    `${count(samples.length)} from ${NORMAL_CLIENTS.length + 1} clients in ${(result.durationMs / 1000).toFixed(1)} s (${count(rate)}/s); ${hung === 0 ? 'none hung or failed to get an answer' : `${hung} got no answer`}`,
    `by status: ${joined(
      countBy(samples, (sample) => sample.status),
      (status) => `${status} ${STATUS_CODES[Number(status)] ?? 'no response'}`,
    )}`,
    `problem+json codes: ${joined(
      countBy(samples, (sample) => sample.code),
      (code) => code,
    )}`,
  ]);
}

function rateLimitSection(result: ScenarioResult): string {
  const { samples, metrics } = result;
  const limited = samples.filter((sample) => sample.status === 429);
  const flood = samples.filter((sample) => sample.label === 'flood');
  const normal = samples.filter((sample) => sample.label === 'normal');
  const decisions = 'rampart_rate_limiter_decisions_total';
  return row('Rate limiting', [
    `${count(limited.length)} requests limited (${percent(limited.length, samples.length)}): the flooder ${FLOOD_CLIENT} got ${count(flood.filter((sample) => sample.status !== 429).length)} of ${count(flood.length)} through (60 a minute, burst 60)`,
    `the ${NORMAL_CLIENTS.length} well-behaved clients were limited ${count(normal.filter((sample) => sample.status === 429).length)} times in ${count(normal.length)} requests`,
    `/metrics: ${count(total(metrics, decisions, { outcome: 'limited' }))} limited and ${count(total(metrics, decisions, { outcome: 'allowed' }))} allowed decisions`,
  ]);
}

function cacheSection(result: ScenarioResult): string {
  const { samples, metrics } = result;
  const statuses = countBy(samples, (sample) => sample.cache);
  const hits = statuses.get('hit') ?? 0;
  const misses = statuses.get('miss') ?? 0;
  const stale = statuses.get('stale') ?? 0;
  return row('Cache', [
    `hit ratio ${percent(hits, hits + misses)} (${count(hits)} hits, ${count(misses)} misses, by X-Cache); ${count(stale)} stale copies served while the upstream failed`,
    `/metrics: ${count(total(metrics, 'rampart_cache_hits_total'))} hits, ${count(total(metrics, 'rampart_cache_misses_total'))} misses, ${count(total(metrics, 'rampart_cache_stale_served_total'))} stale served (a stale copy or a failed load is a miss there)`,
  ]);
}

function breakerSection(result: ScenarioResult, logs: readonly LogLine[]): string {
  const { metrics } = result;
  const transitions = logs
    .filter((line) => line.event?.startsWith('circuit-breaker.') === true)
    .map(
      (line) =>
        `${seconds(Date.parse(line.time) - result.startedAtEpochMs)} ${String(line.from)} → ${String(line.to)}`,
    );
  const counted = totalsBy(metrics, 'rampart_circuit_breaker_transitions_total', 'to');
  const rejected = total(metrics, 'rampart_circuit_breaker_rejections_total');
  return row('Circuit breaker', [
    transitions.length === 0 ? 'stayed closed' : transitions.join(' · '),
    `/metrics: ${count([...counted.values()].reduce((sum, value) => sum + value, 0))} transitions, ${count(rejected)} calls refused without reaching the upstream`,
  ]);
}

function retrySection(result: ScenarioResult): string {
  const { metrics } = result;
  const giveUps = totalsBy(metrics, 'rampart_retry_give_ups_total', 'reason');
  return row('Retries', [
    `/metrics: ${count(total(metrics, 'rampart_retry_retries_total'))} failed upstream calls retried; gave up: ${giveUps.size === 0 ? 'never' : joined(giveUps, (reason) => reason)}; retry budget exhausted ${count(total(metrics, 'rampart_retry_budget_exhausted_total'))} times`,
  ]);
}

function latencySection(result: ScenarioResult): string {
  const client = latencySummary(result.samples);
  const api = (labels: Readonly<Record<string, string>>): boolean =>
    labels.http_route?.startsWith('/api') === true;
  const server = (q: number): string =>
    ms(1000 * histogramQuantile(result.metrics, 'http_server_request_duration_seconds', q, api));
  return row('Latency', [
    `client: p50 ${ms(client.p50)} · p95 ${ms(client.p95)} · p99 ${ms(client.p99)} · max ${ms(client.max)}`,
    `server: p50 ≈ ${server(0.5)} · p95 ≈ ${server(0.95)} · p99 ≈ ${server(0.99)} (from the /metrics histogram of the /api routes)`,
  ]);
}

function operatorLogSection(result: ScenarioResult, logs: readonly LogLine[]): string {
  const lines = logs
    .filter((line) => line.event !== undefined)
    .map(
      (line) =>
        `${seconds(Date.parse(line.time) - result.startedAtEpochMs)} ${LEVELS[line.level] ?? line.level} ${line.msg}`,
    );
  return row('Operator log', lines.length === 0 ? ['nothing to report'] : lines);
}

function shutdownSection(exit: ServiceExit, logs: readonly LogLine[]): string {
  const steps = logs
    .filter((line) => line.msg.startsWith('shutdown') || line.msg.startsWith('received'))
    .map((line) => line.msg);
  const outcome = exit.killed
    ? 'did not exit in time and was killed'
    : `exited on its own with code ${exit.code ?? exit.signal} in ${ms(exit.durationMs)}`;
  return row('Shutdown', [`SIGTERM → ${outcome}`, ...steps]);
}

/** The demo's report, as text. */
export function formatReport(
  result: ScenarioResult,
  logs: readonly LogLine[],
  exit: ServiceExit,
): string {
  const timeline = PHASES.map(
    (phase, index) => `${seconds(result.phaseStarts[index] ?? 0)} ${phase.title}`,
  ).join(' · ');
  return [
    'Rampart demo: the hardened service, in memory, under a scripted burst',
    '',
    row('Timeline', [timeline]),
    requestsSection(result),
    rateLimitSection(result),
    cacheSection(result),
    breakerSection(result, logs),
    retrySection(result),
    latencySection(result),
    operatorLogSection(result, logs),
    shutdownSection(exit, logs),
    '',
  ].join('\n');
}

/** A one-line status for the progress indicator. */
export function progressStatus(samples: readonly Sample[], breaker: string): string {
  let ok = 0;
  let limited = 0;
  let failed = 0;
  for (const sample of samples) {
    if (sample.status === 429) limited++;
    else if (sample.status >= 500 || sample.status === 0) failed++;
    else ok++;
  }
  return `${count(samples.length)} requests · ${count(ok)} ok · ${count(limited)} rate-limited · ${count(failed)} failed · breaker ${breaker}`;
}
