import type {
  BenchCase,
  CallSite,
  CompareOptions,
  CompareResult,
  CompareRow,
} from './compare-types.ts';
import { formatNanoseconds, formatNumber, formatPercent, ratio } from './format.ts';
import { type Contender, calibrate, createContender, releaseSink } from './internal/contender.ts';
import { createProgress } from './internal/progress.ts';
import { acrossProcesses } from './processes.ts';
import { median, relativeInterquartileRange } from './stats.ts';
import { textTable } from './text-table.ts';
import { fitRounds, planRounds, resolveTimeMs } from './time-budget.ts';

const NS_PER_MS = 1e6;

/**
 * Measures several implementations of the same operation against a baseline, in this
 * process, and reports how fast each is relative to the baseline.
 *
 * Noise-resistant by construction: each case first gets a batch size calibrated so one batch
 * lasts a few milliseconds and is warmed up; then many rounds run one batch of every case,
 * round-robin with the order rotated each round, so drift (thermal throttling, a noisy
 * neighbour, GC pressure) hits every case alike. Each case's result is the median ns/op over
 * the rounds; `spread` is their interquartile range relative to that median.
 *
 * Progress goes to stderr; a summary table goes to stdout when done.
 *
 * @throws {RangeError} when the options are invalid (no cases, duplicate names, unknown baseline,
 *   non-positive `timeMs`, `rounds` or `minBatch`).
 * @throws {Error} naming the case when a case's `fn`, `setup` or `teardown` throws.
 * @example
 * ```ts
 * const result = await compare('serialise a small object', {
 *   baseline: 'JSON.stringify',
 *   cases: [
 *     { name: 'JSON.stringify', fn: () => JSON.stringify(point) },
 *     { name: 'template literal', fn: () => `{"x":${point.x},"y":${point.y}}` },
 *   ],
 * });
 * ```
 */
export async function compare(title: string, options: CompareOptions): Promise<CompareResult> {
  validate(title, options);
  const timeMs = resolveTimeMs(options.timeMs, process.env.BENCH_TIME_MS);
  const plan = planRounds(timeMs, options.rounds);
  const minCalls = options.minBatch ?? 1;
  const batchNs = plan.batchMs * NS_PER_MS;
  const callSite = resolveCallSite(options.callSite, process.env.BENCH_CALL_SITE);
  const sites: readonly ('own' | 'shared')[] = callSite === 'both' ? ['own', 'shared'] : [callSite];
  const progress = createProgress(title);
  const prepared: BenchCase[] = [];
  try {
    const contenders: Contender[] = [];
    for (const benchCase of options.cases) {
      progress.status(`setting up ${JSON.stringify(benchCase.name)}`);
      await runHook(title, benchCase, 'setup');
      prepared.push(benchCase);
      for (const site of sites) contenders.push(await createContender(benchCase, title, site));
    }
    let slowestBatchNs = 0;
    for (const contender of contenders) {
      progress.status(`calibrating and warming up ${JSON.stringify(contender.name)}`);
      const warmupNs = Math.min(500, Math.max(50, timeMs * 0.1)) * NS_PER_MS;
      const nsPerCall = await calibrate(contender, batchNs, warmupNs, minCalls);
      slowestBatchNs = Math.max(slowestBatchNs, nsPerCall * contender.calls);
    }
    const rounds = fitRounds(
      timeMs,
      plan.rounds,
      slowestBatchNs / NS_PER_MS,
      options.rounds !== undefined,
    );
    globalThis.gc?.();
    const reportEvery = Math.max(1, Math.round(rounds / (process.stderr.isTTY ? 100 : 4)));
    for (let round = 0; round < rounds; round++) {
      if (round % reportEvery === 0) progress.status(`round ${round + 1}/${rounds}`);
      for (let offset = 0; offset < contenders.length; offset++) {
        const contender = contenders[(round + offset) % contenders.length];
        if (contender === undefined) continue;
        const elapsed = await contender.timeBatch(contender.calls);
        contender.samples.push(elapsed / contender.calls);
      }
    }
    progress.done();
    const result = acrossProcesses(summarise(title, options.baseline, contenders));
    console.log(`\n${describe(result, rounds)}\n`);
    warnAboutEliminatedWork(title, result);
    return result;
  } finally {
    progress.done();
    releaseSink();
    for (const benchCase of prepared.reverse()) await runHook(title, benchCase, 'teardown');
  }
}

/** The call site from the option, else from `BENCH_CALL_SITE`, else both. */
export function resolveCallSite(
  option: CallSite | undefined,
  environment: string | undefined,
): CallSite {
  const value = option ?? (environment === undefined || environment === '' ? 'both' : environment);
  if (value !== 'own' && value !== 'shared' && value !== 'both') {
    throw new RangeError(
      `callSite must be 'own', 'shared' or 'both' (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

function summarise(
  title: string,
  baseline: string,
  contenders: readonly Contender[],
): CompareResult {
  const figures = (site: 'own' | 'shared') => {
    const own = contenders.filter((contender) => contender.callSite === site);
    const medians = new Map(own.map((contender) => [contender.name, median(contender.samples)]));
    const baselineNs = medians.get(baseline) ?? Number.NaN;
    return new Map(
      own.map((contender) => {
        const nsPerOp = medians.get(contender.name) ?? Number.NaN;
        const row = {
          nsPerOp,
          relativeToBaseline: baselineNs / nsPerOp,
          spread: relativeInterquartileRange(contender.samples),
        };
        return [contender.name, row] as const;
      }),
    );
  };
  const own = figures('own');
  const shared = figures('shared');
  const primary = own.size > 0 ? own : shared;
  const rows = [...primary].map(([name, row]): CompareRow => {
    const viaShared = own.size > 0 ? shared.get(name) : undefined;
    return {
      name,
      ...row,
      opsPerSec: 1e9 / row.nsPerOp,
      ...(viaShared === undefined ? {} : { shared: viaShared }),
    };
  });
  return { title, baseline, rows };
}

function describe(result: CompareResult, rounds: number): string {
  const rows = result.rows.map((row) => [
    row.name === result.baseline ? `${row.name} (baseline)` : row.name,
    ratio(row.relativeToBaseline),
    formatPercent(row.spread),
    row.shared === undefined ? '–' : ratio(row.shared.relativeToBaseline),
    formatNanoseconds(row.nsPerOp),
    formatNumber(Math.round(row.opsPerSec)),
  ]);
  const table = textTable(
    ['case', 'speed vs baseline', 'spread (IQR)', 'shared call site', 'ns/op*', 'ops/s*'],
    rows,
    [1, 2, 3, 4, 5],
  );
  return `${result.title} (median of ${rounds} interleaved rounds)\n${table}\n* absolute times are indicative only; compare the ratios`;
}

/** Below this, a call costs about as much as an empty loop iteration: the work was optimised away. */
const SUSPICIOUSLY_FAST_NS = 2;

function warnAboutEliminatedWork(title: string, result: CompareResult): void {
  for (const row of result.rows) {
    if (row.nsPerOp < SUSPICIOUSLY_FAST_NS) {
      console.warn(
        `[bench] ${title}: case ${JSON.stringify(row.name)} takes ${formatNanoseconds(row.nsPerOp)} ns/op, ` +
          'about as long as an empty loop iteration: V8 has probably constant-folded or dropped its ' +
          'work. Vary the input per call (e.g. cycle through an array of inputs) so it measures real work.',
      );
    }
  }
}

async function runHook(
  title: string,
  benchCase: BenchCase,
  hook: 'setup' | 'teardown',
): Promise<void> {
  const run = benchCase[hook];
  if (run === undefined) return;
  try {
    await run();
  } catch (cause) {
    throw new Error(
      `compare(${JSON.stringify(title)}): ${hook} of case ${JSON.stringify(benchCase.name)} failed`,
      { cause },
    );
  }
}

function validate(title: string, options: CompareOptions): void {
  const where = `compare(${JSON.stringify(title)})`;
  if (options.cases.length === 0) throw new RangeError(`${where}: \`cases\` must not be empty`);
  const names = new Set<string>();
  for (const [index, benchCase] of options.cases.entries()) {
    if (typeof benchCase.fn !== 'function') {
      throw new RangeError(`${where}: \`cases[${index}].fn\` must be a function`);
    }
    if (names.has(benchCase.name)) {
      throw new RangeError(`${where}: case name ${JSON.stringify(benchCase.name)} appears twice`);
    }
    names.add(benchCase.name);
  }
  if (!names.has(options.baseline)) {
    throw new RangeError(
      `${where}: \`baseline\` ${JSON.stringify(options.baseline)} is not one of the cases (${[...names].map((name) => JSON.stringify(name)).join(', ')})`,
    );
  }
  const { minBatch } = options;
  if (minBatch !== undefined && !(Number.isInteger(minBatch) && minBatch > 0)) {
    throw new RangeError(`${where}: \`minBatch\` must be a positive integer (got ${minBatch})`);
  }
}
