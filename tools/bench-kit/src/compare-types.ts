/** One contender in a `compare` run. */
export interface BenchCase {
  /** Unique name within the comparison; shown in tables and used to name the baseline. */
  readonly name: string;
  /**
   * The operation to time. When it returns a promise (or any thenable) the first time it is
   * called, every call is awaited, one after another; otherwise it must stay synchronous.
   */
  readonly fn: () => unknown;
  /** Runs once, before the case is first called (awaited when it returns a promise). Not timed. */
  readonly setup?: () => unknown;
  /** Runs once, after the case's last round (awaited when it returns a promise). Not timed. */
  readonly teardown?: () => unknown;
}

/** Options of `compare`. */
export interface CompareOptions {
  /** Name of the case every other case is measured against. */
  readonly baseline: string;
  /** The contenders, at least one; names must be unique and include {@link CompareOptions.baseline}. */
  readonly cases: readonly BenchCase[];
  /**
   * Measuring time per case in milliseconds (warm-up and calibration come on top).
   * Scaled by `BENCH_TIME_MS / 1500` when that environment variable is set.
   * @default 1500 — long enough for stable medians on a noisy 2-core machine, short enough
   *   that a file with a few comparisons finishes in well under a minute.
   */
  readonly timeMs?: number;
  /**
   * Number of interleaved rounds; each round runs one batch of every case.
   * @default timeMs / 5, at least 10 — batches of about 5 ms, many rounds for robust medians
   *   (fewer when one call of the slowest case takes longer than a batch should).
   */
  readonly rounds?: number;
  /**
   * Fewest calls per batch, whatever calibration says.
   * @default 1
   */
  readonly minBatch?: number;
  /**
   * How cases are called: `own` gives each case a loop compiled for it alone (the call site
   * only ever sees that case, as a hot path specialised for one library would); `shared` calls
   * every case through one loop, as application code calls whatever it was given (the call
   * site sees every case); `both` measures each case both ways, interleaved.
   * @default `BENCH_CALL_SITE` from the environment, else `'both'` — a claim must hold the
   *   way users' code calls it, not only in a loop compiled for one case.
   */
  readonly callSite?: CallSite;
}

/** How a comparison calls its cases; see {@link CompareOptions.callSite}. */
export type CallSite = 'own' | 'shared' | 'both';

/** A case measured through the shared call site, next to its own-loop figures. */
export interface SharedCallSiteRow {
  /** Baseline ns/op ÷ this case's ns/op, both through the shared call site. */
  readonly relativeToBaseline: number;
  /** Interquartile range of the per-round ns/op divided by their median. */
  readonly spread: number;
  /** Median nanoseconds per call. Indicative only. */
  readonly nsPerOp: number;
}

/** How a ratio varied over several processes running the same comparison. */
export interface ProcessRange {
  /** Processes whose results were combined (the ratio is their median). */
  readonly count: number;
  /** Lowest ratio to the baseline seen in one process. */
  readonly min: number;
  /** Highest ratio to the baseline seen in one process. */
  readonly max: number;
}

/** The measurement of one case in a {@link CompareResult}. */
export interface CompareRow {
  /** The case's name. */
  readonly name: string;
  /** Median nanoseconds per call over all rounds. Machine-dependent: indicative only. */
  readonly nsPerOp: number;
  /** `1e9 / nsPerOp`. Machine-dependent: indicative only. */
  readonly opsPerSec: number;
  /** Baseline ns/op ÷ this case's ns/op: 2 means twice as fast as the baseline. */
  readonly relativeToBaseline: number;
  /** Interquartile range of the per-round ns/op divided by their median (0.05 = 5 %). */
  readonly spread: number;
  /** The same case through the shared call site, when measured that way too. */
  readonly shared?: SharedCallSiteRow;
  /** The ratio's range over processes, when several processes ran this comparison. */
  readonly processes?: ProcessRange;
}

/** What `compare` measured: one row per case, in the order the cases were given. */
export interface CompareResult {
  /** The title passed to `compare`. */
  readonly title: string;
  /** Name of the baseline case. */
  readonly baseline: string;
  /** One row per case, in input order. */
  readonly rows: readonly CompareRow[];
}
