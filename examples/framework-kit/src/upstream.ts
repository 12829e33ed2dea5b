/**
 * The flaky upstream behind the cached endpoint: a pretend quote service, in process so the
 * example needs no network. It can drop the next few calls like a reset connection (a blip
 * a retry rides out) or go down altogether (an outage the circuit breaker cuts off).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '@rampart/errors';

/** What the upstream answers. */
export interface Quote {
  readonly symbol: string;
  readonly priceCents: number;
  readonly asOf: string;
}

/** The simulated quote service and the switches the scripted client flips. */
export interface QuoteUpstream {
  /** Calls that reached the upstream so far. */
  readonly calls: number;
  /** The next `count` calls fail like a connection reset by the peer (retryable). */
  failNext(count: number): void;
  /** Takes the upstream down (every call fails with `E_UNAVAILABLE`) or brings it back. */
  setDown(down: boolean): void;
  /** Answers after a few milliseconds; stops at once when `signal` aborts. */
  fetchQuote(symbol: string, signal: AbortSignal): Promise<Quote>;
}

/** Creates a healthy upstream. */
export function createQuoteUpstream(): QuoteUpstream {
  let calls = 0;
  let blips = 0;
  let down = false;
  return {
    get calls() {
      return calls;
    },
    failNext(count) {
      blips = count;
    },
    setDown(value) {
      down = value;
    },
    async fetchQuote(symbol, signal) {
      calls += 1;
      await sleep(5, undefined, { signal });
      if (down) throw new UnavailableError('the quote service is down');
      if (blips > 0) {
        blips -= 1;
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      }
      const priceCents = 10_000 + [...symbol].reduce((sum, char) => sum + char.charCodeAt(0), 0);
      return { symbol, priceCents, asOf: new Date().toISOString() };
    },
  };
}
