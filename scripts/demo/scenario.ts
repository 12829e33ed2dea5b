import {
  createTrafficClient,
  type Load,
  type PromSample,
  parseExposition,
  type RequestSpec,
  type Sample,
  startLoad,
  type Worker,
} from '../../examples/hardened-service/traffic/index.ts';
import type { Progress } from './progress.ts';

/** The scripted burst, phase by phase. */
export const PHASES = [
  { title: 'normal traffic', durationMs: 4_000 },
  { title: 'a flood from one client', durationMs: 2_500 },
  { title: 'upstream outage', durationMs: 4_000 },
  { title: 'upstream recovered', durationMs: 5_000 },
] as const;

/** Documentation addresses (RFC 5737): twelve well-behaved clients and one flooder. */
export const NORMAL_CLIENTS: readonly string[] = Array.from(
  { length: 12 },
  (_, index) => `203.0.113.${10 + index}`,
);
export const FLOOD_CLIENT = '198.51.100.66';

/** What the scenario saw. */
export interface ScenarioResult {
  /** Every API request the clients sent (not the admin calls or readiness polls). */
  readonly samples: readonly Sample[];
  /** When each phase started, in ms since the traffic started. */
  readonly phaseStarts: readonly number[];
  /** The breaker state `/readyz` reported, each time it changed, in ms since the start. */
  readonly breakerStates: readonly { atMs: number; state: string }[];
  /** The service's `/metrics` after the traffic. */
  readonly metrics: readonly PromSample[];
  readonly durationMs: number;
  /** `Date.now()` when the traffic started, to place log lines on the same timeline. */
  readonly startedAtEpochMs: number;
}

/** A small seeded generator (mulberry32): the same burst on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function normalClient(clientIp: string, random: () => number): Worker {
  // Popular products are asked for much more often: what makes a cache worth having.
  const product = (): string => `p-${1 + Math.floor(40 * random() ** 2)}`;
  return {
    intervalMs: 300,
    next(): RequestSpec {
      const roll = random();
      if (roll < 0.08) {
        const body = { productId: product(), quantity: 1 + Math.floor(random() * 5) };
        return { method: 'POST', path: '/api/quotes', body, clientIp, label: 'normal' };
      }
      if (roll < 0.1) {
        return {
          path: `/api/products/p-${200 + Math.floor(random() * 50)}`,
          clientIp,
          label: 'normal',
        };
      }
      return { path: `/api/products/${product()}`, clientIp, label: 'normal' };
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the burst against the service at `url`: twelve clients at about three requests a
 * second each throughout; then one client flooding (four connections, 400 requests); then the
 * upstream failing every call (set through the admin surface), and recovering. `/readyz` is
 * polled to follow the breaker; `/metrics` is scraped at the end.
 */
export async function runScenario(options: {
  url: string;
  adminToken: string;
  progress: Progress;
  onSample: (sample: Sample) => void;
  onBreakerState: (state: string) => void;
  random: () => number;
}): Promise<ScenarioResult> {
  const { url, adminToken, progress, onSample, onBreakerState, random } = options;
  const client = createTrafficClient(url, { timeoutMs: 10_000, maxSockets: 64 });
  const admin = createTrafficClient(url, { timeoutMs: 5_000, maxSockets: 2 });
  const started = performance.now();
  const startedAtEpochMs = Date.now();
  const since = (): number => performance.now() - started;
  const samples: Sample[] = [];
  const record = (sample: Sample): void => {
    samples.push(sample);
    onSample(sample);
  };
  const setUpstream = async (changes: Record<string, unknown>): Promise<void> => {
    const answer = await admin.send({
      method: 'PUT',
      path: '/admin/upstream',
      body: changes,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (answer.status !== 200) {
      throw new Error(`the admin surface answered ${answer.status}: ${answer.body}`);
    }
  };

  const breakerStates: { atMs: number; state: string }[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const answer = await admin.send({ path: '/readyz' });
      try {
        // The upstream check's output ends with the breaker's state: `1 of 1 closed`,
        // `0 of 1 closed; upstream open`.
        const { checks } = JSON.parse(answer.body) as {
          checks: { upstream: { output: string }[] };
        };
        const state = /(closed|half-open|open|isolated)$/.exec(
          checks.upstream[0]?.output ?? '',
        )?.[1];
        if (state !== undefined && breakerStates.at(-1)?.state !== state) {
          breakerStates.push({ atMs: since(), state });
          onBreakerState(state);
        }
      } catch {
        // A poll that failed tells nothing about the breaker.
      }
      await sleep(200);
    }
  })();

  const phaseStarts: number[] = [];
  let flood: Load | undefined;
  const normal = startLoad(
    client,
    NORMAL_CLIENTS.map((ip) => normalClient(ip, random)),
    record,
  );
  try {
    for (const [index, phase] of PHASES.entries()) {
      phaseStarts.push(since());
      progress.phase(`[${index + 1}/${PHASES.length}] ${phase.title}`);
      if (index === 1) {
        const flooder: Worker = {
          maxRequests: 100,
          intervalMs: 20,
          next: () => ({ path: '/api/products/p-1', clientIp: FLOOD_CLIENT, label: 'flood' }),
        };
        flood = startLoad(client, [flooder, flooder, flooder, flooder], record);
      }
      if (index === 2) await setUpstream({ outage: 'errors' });
      if (index === 3) await setUpstream({ outage: 'none' });
      await sleep(phase.durationMs - (since() - (phaseStarts[index] ?? 0)));
    }
  } finally {
    await Promise.all([normal.stop(), flood?.stop()]);
    polling = false;
    await poll;
  }
  const durationMs = since();
  const scrape = await admin.send({ path: '/metrics', headers: { accept: 'text/plain' } });
  client.close();
  admin.close();
  return {
    samples,
    phaseStarts,
    breakerStates,
    metrics: parseExposition(scrape.body),
    durationMs,
    startedAtEpochMs,
  };
}
