/** Provider calls the traffic shares are computed over. */
const WINDOW = 256;

/** Which provider served each of the last {@link WINDOW} provider calls, with running counts. */
export class TrafficShare {
  readonly #ring = new Int32Array(WINDOW).fill(-1);
  readonly #counts: Int32Array;
  #next = 0;
  #filled = 0;

  constructor(providers: number) {
    this.#counts = new Int32Array(providers);
  }

  /** Records a call to provider `index`. */
  record(index: number): void {
    const evicted = this.#ring[this.#next] ?? -1;
    if (evicted >= 0) this.#counts[evicted] = (this.#counts[evicted] ?? 1) - 1;
    this.#ring[this.#next] = index;
    this.#counts[index] = (this.#counts[index] ?? 0) + 1;
    this.#next = (this.#next + 1) % WINDOW;
    if (this.#filled < WINDOW) this.#filled++;
  }

  /** Provider `index`'s share (0–1) of the recorded calls; 0 before any call. */
  share(index: number): number {
    return this.#filled === 0 ? 0 : (this.#counts[index] ?? 0) / this.#filled;
  }
}
