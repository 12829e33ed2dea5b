/**
 * The parts of an opossum 10 `CircuitBreaker` Rampart reads. opossum ships no types of its
 * own, so this is what `instrumentOpossum` and `toRampartError` accept: any opossum breaker
 * fits.
 */
export interface OpossumBreakerLike {
  /** The breaker's name (opossum defaults it to the action's name). */
  readonly name?: string | undefined;
  /** Whether the circuit is open. */
  readonly opened: boolean;
  /** Whether the circuit is half-open. */
  readonly halfOpen: boolean;
  /** Whether the circuit is closed. */
  readonly closed: boolean;
  /** Whether a half-open circuit still waits for its trial call. */
  readonly pendingClose?: boolean | undefined;
  /** opossum's options; `resetTimeout` tells how long an open circuit stays open. */
  readonly options?: { readonly resetTimeout?: number | undefined } | undefined;
  /** opossum's rolling counts; `fires` and `failures` give the failure rate. */
  readonly stats?: { readonly fires?: number; readonly failures?: number } | undefined;
  /** Adds an event listener (opossum breakers are `EventEmitter`s). */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Removes an event listener. */
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}
