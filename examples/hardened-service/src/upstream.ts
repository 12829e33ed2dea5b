import { NotFoundError } from '@rampart/errors';
import type { UpstreamSettings } from './config.ts';
import { UpstreamError } from './errors.ts';

/** A product as the catalog upstream returns it. */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly currency: 'EUR';
  /** When the upstream produced this copy: old copies show that a cache answered. */
  readonly fetchedAt: string;
}

/** Counters of the simulated upstream, for the admin surface, the demo and tests. */
export interface UpstreamStats {
  /** Calls that reached the upstream. */
  readonly calls: number;
  /** Calls that failed or were abandoned (timed out, cancelled). */
  readonly failures: number;
  /** Calls running now. */
  readonly inFlight: number;
}

/**
 * A slow, flaky catalog service, simulated in process: every call waits `latencyMs` plus up to
 * `jitterMs`, fails with a 503 (`UpstreamError`) at `errorRate`, and during an outage fails
 * fast (`errors`) or hangs until its signal aborts (`timeouts`). Its settings change at run
 * time, which is how the demo and the tests script an outage and its recovery.
 */
export interface Upstream {
  /** The product `id` (`p-1` … `p-100`); rejects with `NotFoundError` for any other id. */
  fetchProduct(id: string, signal: AbortSignal): Promise<Product>;
  /** The current behaviour. */
  settings(): UpstreamSettings;
  /** Changes the behaviour from the next call on; returns the new settings. */
  update(changes: Partial<UpstreamSettings>): UpstreamSettings;
  stats(): UpstreamStats;
}

/** How many products the simulated catalog holds. */
export const PRODUCT_COUNT = 100;

/** Time an outage's refused connection takes to fail. */
const FAST_FAILURE_MS = 2;

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rejects with the signal's reason once it aborts: a call that never answers. */
function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function productOf(id: string, number: number): Product {
  return {
    id,
    name: `Product ${number}`,
    priceCents: 499 + ((number * 7_919) % 9_500),
    currency: 'EUR',
    fetchedAt: new Date().toISOString(),
  };
}

/** Creates the simulated upstream with its initial settings. */
export function createUpstream(initial: UpstreamSettings, random: () => number): Upstream {
  let settings: UpstreamSettings = { ...initial };
  let calls = 0;
  let failures = 0;
  let inFlight = 0;

  const call = async (id: string, signal: AbortSignal): Promise<Product> => {
    const { latencyMs, jitterMs, errorRate, outage } = settings;
    if (outage === 'timeouts') return hang(signal);
    if (outage === 'errors') {
      await wait(FAST_FAILURE_MS, signal);
      throw new UpstreamError('The catalog answered 503 Service Unavailable (outage)');
    }
    await wait(latencyMs + Math.round(random() * jitterMs), signal);
    if (random() < errorRate) {
      throw new UpstreamError('The catalog answered 503 Service Unavailable');
    }
    const match = /^p-([1-9]\d{0,2})$/.exec(id);
    const number = Number(match?.[1] ?? 0);
    if (number < 1 || number > PRODUCT_COUNT) {
      throw new NotFoundError(`No product ${JSON.stringify(id)} in the catalog`);
    }
    return productOf(id, number);
  };

  return {
    async fetchProduct(id, signal) {
      calls++;
      inFlight++;
      try {
        return await call(id, signal);
      } catch (error) {
        if (!(error instanceof NotFoundError)) failures++;
        throw error;
      } finally {
        inFlight--;
      }
    },
    settings: () => settings,
    update(changes) {
      settings = { ...settings, ...changes };
      return settings;
    },
    stats: () => ({ calls, failures, inFlight }),
  };
}
