/**
 * The state of a circuit:
 * - `closed`: calls flow; failures are counted over the rolling window;
 * - `open`: calls are rejected at once until the reset timeout has passed;
 * - `half-open`: a few trial calls test the dependency; the others are rejected at once;
 * - `isolated`: held open by hand ({@link CircuitControl.isolate}) until released.
 */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';
