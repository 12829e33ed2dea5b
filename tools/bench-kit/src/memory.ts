import { isThenable } from './internal/runner.ts';
import { median } from './stats.ts';

/** Options of {@link measureMemory}. */
export interface MeasureMemoryOptions {
  /**
   * How many times to build and measure; the median is returned.
   * @default 5 — one odd sample (a lazily allocated V8 structure) cannot sway the median.
   */
  readonly samples?: number;
}

/** Holds what `build()` returned while the heap is measured, so it cannot be collected early. */
const holder: { retained: unknown } = { retained: undefined };

/**
 * Bytes kept alive by what `build()` returns (it may return a promise, which is awaited):
 * V8 heap plus external memory (Buffers) after a full GC with the value reachable, minus the
 * same before building. Build many items and divide for a per-item figure; a single small
 * object is below the noise floor. Runs `samples` times and returns the median.
 *
 * Needs the V8 `gc()` hook: `scripts/bench.ts` starts every benchmark with `--expose-gc`; run a
 * file by hand as `node --expose-gc --conditions=@rampart/source bench/<file>.bench.ts`.
 *
 * @throws {Error} when `gc()` is not exposed, explaining how to enable it.
 * @throws {RangeError} when `samples` is not a positive integer.
 * @example
 * ```ts
 * const bytes = await measureMemory(() => Array.from({ length: 10_000 }, (_, i) => ({ i })));
 * console.log(`${bytes / 10_000} bytes per entry`);
 * ```
 */
export async function measureMemory(
  build: () => unknown,
  options: MeasureMemoryOptions = {},
): Promise<number> {
  const collect = globalThis.gc;
  if (collect === undefined) {
    throw new Error(
      'measureMemory needs the V8 gc() hook, which Node only exposes with --expose-gc. ' +
        'Run benchmarks through `pnpm bench` (scripts/bench.ts passes the flag), or by hand with ' +
        '`node --expose-gc --conditions=@rampart/source bench/<file>.bench.ts`.',
    );
  }
  const samples = options.samples ?? 5;
  if (!(Number.isInteger(samples) && samples > 0)) {
    throw new RangeError(`measureMemory: \`samples\` must be a positive integer (got ${samples})`);
  }
  const used = (): number => {
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  const fullGc = (): void => {
    // Twice: the first pass may only queue finalizers and weak callbacks that free more.
    collect();
    collect();
  };
  const measured: number[] = [];
  try {
    for (let sample = 0; sample < samples; sample++) {
      holder.retained = undefined;
      fullGc();
      const before = used();
      await buildAndRetain(build);
      fullGc();
      measured.push(used() - before);
    }
  } finally {
    holder.retained = undefined;
  }
  return Math.max(0, Math.round(median(measured)));
}

/**
 * Builds outside {@link measureMemory}'s frame: a local there would stay alive in the async
 * function's saved registers and leak the previous sample's value into the next "before".
 */
async function buildAndRetain(build: () => unknown): Promise<void> {
  const value = build();
  holder.retained = isThenable(value) ? await value : value;
}
