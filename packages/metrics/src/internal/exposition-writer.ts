import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExpositionFormat } from '../types.ts';

/**
 * About how many samples are rendered before the writer gives the event loop a turn. A
 * sample line of a labelled histogram takes well under a microsecond to render, so a slice
 * stays around a millisecond and a 12,000-series scrape never holds the loop for long.
 */
export const SAMPLES_PER_SLICE = 2048;

/**
 * Collects the text of one scrape in slices. `write` says when a slice is full; the caller
 * then awaits `pause()`, which lets timers, I/O and other requests run before it goes on.
 * Pauses use `node:timers/promises`, which fake timers in tests leave alone.
 */
export class ExpositionWriter {
  readonly format: ExpositionFormat;
  private readonly chunks: string[] = [];
  /** The pieces of the current slice, joined into one flat string when the slice ends. */
  private parts: string[] = [];
  private pending = 0;
  private readonly samplesPerSlice: number;
  private sliceStartedAt = performance.now();
  /** Samples written so far. */
  samples = 0;
  /** Families written so far. */
  families = 0;
  /** The longest time, in milliseconds, spent between two pauses. */
  longestSliceMs = 0;

  private readonly signal: AbortSignal | undefined;

  constructor(
    format: ExpositionFormat,
    samplesPerSlice: number = SAMPLES_PER_SLICE,
    signal?: AbortSignal,
  ) {
    this.format = format;
    this.samplesPerSlice = samplesPerSlice;
    this.signal = signal;
  }

  /** Starts a family: its `# HELP`/`# TYPE` text, plus the blank line Prometheus text puts between families. */
  family(header: string): void {
    if (this.families > 0 && this.format === 'prometheus') this.parts.push('\n');
    this.parts.push(header);
    this.families++;
  }

  /** Adds text holding `samples` sample lines; true when the slice is full and the caller should `pause()`. */
  write(text: string, samples: number): boolean {
    this.parts.push(text);
    this.samples += samples;
    this.pending += samples;
    return this.pending >= this.samplesPerSlice;
  }

  /**
   * Ends the slice and yields to the event loop.
   * @throws the signal's reason when the rendering was abandoned meanwhile.
   */
  async pause(): Promise<void> {
    this.endSlice();
    await nextTurn();
    this.signal?.throwIfAborted();
    this.sliceStartedAt = performance.now();
  }

  /** The complete text, terminated as prom-client terminates it. */
  finish(): string {
    this.endSlice();
    if (this.format === 'openmetrics') {
      this.chunks.push(this.families === 0 ? '\n# EOF\n' : '# EOF\n');
    } else if (this.families === 0) {
      this.chunks.push('\n');
    }
    return this.chunks.join('');
  }

  /**
   * Joins the slice into one flat string while still inside it: many small concatenations
   * make a deep rope that V8 would otherwise flatten in one long stop at the final join.
   */
  private endSlice(): void {
    if (this.parts.length > 0) this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.pending = 0;
    this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - this.sliceStartedAt);
  }
}
