import type { CircuitBreaker } from '@rampart/circuit-breaker';
import type { FailoverProvider } from '../options.ts';
import type { ProviderAvailability, ProviderState } from '../state.ts';
import { LatencyWindow } from './latency-window.ts';

/** What one attempt tells the provider's breaker-guarded function. */
export interface AttemptTicket {
  /** Number of the attempt within its call, from 1. */
  readonly attempt: number;
  /** Set when the breaker admitted the attempt and the provider was really called. */
  called: boolean;
}

/** The breaker around one provider: it is given the input and the attempt's ticket. */
export type ProviderBreaker<Input, Output> = CircuitBreaker<[Input, AttemptTicket], Output>;

/** One provider at run time: its breaker, cool-down, latencies and counters. */
export class ProviderSlot<Input, Output> {
  readonly name: string;
  readonly index: number;
  readonly weight: number;
  readonly priority: number;
  readonly breaker: ProviderBreaker<Input, Output>;
  readonly latency: LatencyWindow = new LatencyWindow();
  /** Clock time until which a 429 keeps the provider out; 0 when none. */
  cooldownUntil = 0;
  calls = 0;
  failures = 0;

  constructor(
    provider: FailoverProvider<Input, Output>,
    index: number,
    breaker: ProviderBreaker<Input, Output>,
  ) {
    this.name = provider.name;
    this.index = index;
    this.weight = provider.weight ?? 1;
    this.priority = provider.priority ?? 0;
    this.breaker = breaker;
  }

  /** Whether the provider is tried now. */
  availability(now: number): ProviderAvailability {
    const circuit = this.breaker.state;
    if (circuit === 'open' || circuit === 'isolated') return 'open';
    return now < this.cooldownUntil ? 'cooling' : 'available';
  }

  /** Milliseconds until an unavailable provider is tried again, when known. */
  retryAfterMs(now: number, availability: ProviderAvailability): number | undefined {
    if (availability === 'available') return undefined;
    const cooling = this.cooldownUntil > now ? this.cooldownUntil - now : 0;
    if (availability === 'cooling') {
      return Math.max(cooling, this.breaker.stats().retryAfterMs ?? 0);
    }
    const open = this.breaker.stats().retryAfterMs;
    return open === undefined ? undefined : Math.max(open, cooling);
  }

  /** Keeps the provider out for at least `durationMs` from `now`. */
  coolDown(now: number, durationMs: number): void {
    this.cooldownUntil = Math.max(this.cooldownUntil, now + durationMs);
  }

  /** The provider's entry in `state()`. */
  snapshot(now: number, trafficShare: number): ProviderState {
    const availability = this.availability(now);
    return {
      name: this.name,
      availability,
      circuit: this.breaker.state,
      retryAfterMs: this.retryAfterMs(now, availability),
      latencyMs: this.latency.percentiles(),
      trafficShare,
      calls: this.calls,
      failures: this.failures,
    };
  }
}
