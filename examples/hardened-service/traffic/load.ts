import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestSpec, Sample, TrafficClient } from './client.ts';

/** One simulated client: what it asks for next, and how often. */
export interface Worker {
  /** The next request to send. */
  next(): RequestSpec;
  /** Time from one request's start to the next one's; 0 sends back to back. @default 0 */
  readonly intervalMs?: number;
  /** Stops after this many requests. @default unlimited */
  readonly maxRequests?: number;
}

/** A running load: workers sending requests until stopped. */
export interface Load {
  /** Every sample so far, in completion order. */
  readonly samples: readonly Sample[];
  /** Resolves once every worker finished (reached `maxRequests`). */
  finished(): Promise<void>;
  /** Stops sending and resolves once the requests in flight completed. */
  stop(): Promise<void>;
}

/**
 * Starts `workers`, each sending one request at a time at its own pace (fixed-rate: a slow
 * response shortens the wait that follows it), recording every {@link Sample} and passing it
 * to `onSample`.
 */
export function startLoad(
  client: TrafficClient,
  workers: readonly Worker[],
  onSample: (sample: Sample) => void = () => {},
): Load {
  const samples: Sample[] = [];
  const controller = new AbortController();
  const run = async (worker: Worker): Promise<void> => {
    const intervalMs = worker.intervalMs ?? 0;
    const max = worker.maxRequests ?? Number.POSITIVE_INFINITY;
    for (let sent = 0; sent < max && !controller.signal.aborted; sent++) {
      const sample = await client.send(worker.next());
      samples.push(sample);
      onSample(sample);
      const waitMs = intervalMs - (performance.now() - sample.startedAt);
      if (waitMs > 0 && !controller.signal.aborted) {
        await sleep(waitMs, undefined, { signal: controller.signal }).catch(() => {});
      }
    }
  };
  const running = Promise.all(workers.map(run)).then(() => {});
  return {
    samples,
    finished: () => running,
    async stop() {
      controller.abort();
      await running;
    },
  };
}
