/** Measuring time per case when neither the options nor `BENCH_TIME_MS` say otherwise. */
export const DEFAULT_TIME_MS = 1500;

/** Length of one batch that {@link planRounds} aims for, in milliseconds. */
export const TARGET_BATCH_MS = 5;

/** Fewest rounds a comparison runs, so medians and quartiles mean something. */
export const MIN_ROUNDS = 10;

/**
 * The measuring time per case: `requestedMs` (or {@link DEFAULT_TIME_MS}) scaled by
 * `BENCH_TIME_MS / DEFAULT_TIME_MS` when that variable is set, so `BENCH_TIME_MS=300`
 * makes every comparison five times shorter and `BENCH_TIME_MS=6000` four times longer.
 *
 * @param environmentValue - The raw value of `BENCH_TIME_MS`, if any.
 * @throws {RangeError} when `requestedMs` or `BENCH_TIME_MS` is not a positive number.
 */
export function resolveTimeMs(
  requestedMs: number | undefined,
  environmentValue: string | undefined,
): number {
  const base = requestedMs ?? DEFAULT_TIME_MS;
  if (!(Number.isFinite(base) && base > 0)) {
    throw new RangeError(`compare: \`timeMs\` must be a positive number (got ${requestedMs})`);
  }
  if (environmentValue === undefined || environmentValue.trim() === '') return base;
  const scale = Number(environmentValue);
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(
      `BENCH_TIME_MS must be a positive number of milliseconds (got ${JSON.stringify(environmentValue)})`,
    );
  }
  return (base * scale) / DEFAULT_TIME_MS;
}

/**
 * How many rounds to run and how long each batch should take.
 * With an explicit `rounds`, batches take `timeMs / rounds` (at least 1 ms); otherwise batches
 * aim for {@link TARGET_BATCH_MS} and there are `timeMs / TARGET_BATCH_MS` rounds (at least
 * {@link MIN_ROUNDS}).
 *
 * @throws {RangeError} when `rounds` is given but is not a positive integer.
 */
export function planRounds(
  timeMs: number,
  rounds: number | undefined,
): { readonly rounds: number; readonly batchMs: number } {
  if (rounds !== undefined) {
    if (!(Number.isInteger(rounds) && rounds > 0)) {
      throw new RangeError(`compare: \`rounds\` must be a positive integer (got ${rounds})`);
    }
    return { rounds, batchMs: Math.max(1, timeMs / rounds) };
  }
  return {
    rounds: Math.max(MIN_ROUNDS, Math.floor(timeMs / TARGET_BATCH_MS)),
    batchMs: TARGET_BATCH_MS,
  };
}

/**
 * Rounds to run once calibration knows how long the slowest case's batch really takes:
 * when even a minimal batch overshoots the planned length, fewer rounds keep the total near
 * `timeMs` per case (never fewer than {@link MIN_ROUNDS}). Explicit `rounds` are kept as given.
 */
export function fitRounds(
  timeMs: number,
  plannedRounds: number,
  slowestBatchMs: number,
  explicit: boolean,
): number {
  if (explicit || slowestBatchMs <= 0) return plannedRounds;
  const affordable = Math.floor(timeMs / slowestBatchMs);
  return Math.max(MIN_ROUNDS, Math.min(plannedRounds, affordable));
}
