/**
 * `pnpm demo`: starts the hardened service (examples/hardened-service, in memory, run from
 * source so nothing needs building), sends it a scripted burst of traffic (normal calls, a
 * flood from one client, an upstream outage and its recovery) while showing progress, stops
 * it with SIGTERM, and prints what happened: requests by status, rate limiting, cache hit
 * ratio, breaker transitions, retries, latency percentiles (client-side, cross-checked with
 * the service's /metrics), the operator log and the shutdown. About 20 seconds.
 */
import { randomBytes } from 'node:crypto';
import type { Sample } from '../examples/hardened-service/traffic/index.ts';
import { createProgress } from './demo/progress.ts';
import { formatReport, progressStatus } from './demo/report.ts';
import { runScenario, seededRandom } from './demo/scenario.ts';
import { type ServiceProcess, startServiceProcess } from './demo/service-process.ts';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`pnpm demo needs Node.js 22.18 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}

const adminToken = randomBytes(24).toString('base64url');
const samples: Sample[] = [];
let breaker = 'closed';
const progress = createProgress(process.stderr, () => progressStatus(samples, breaker));
progress.phase('starting the hardened service');

let service: ServiceProcess | undefined;
const onInterrupt = (): void => {
  progress.stop();
  service?.kill();
  console.error('interrupted');
  process.exit(130);
};
process.once('SIGINT', onInterrupt);

try {
  service = await startServiceProcess({
    HOST: '127.0.0.1',
    PORT: '0',
    // The demo's clients are simulated behind a proxy on this machine: believe its X-Forwarded-For.
    TRUSTED_PROXIES: '127.0.0.1',
    ADMIN_TOKEN: adminToken,
    CACHE_TTL_MS: '2000',
    BREAKER_RESET_TIMEOUT_MS: '2000',
    BREAKER_ROLLING_WINDOW_MS: '5000',
    UPSTREAM_LATENCY_MS: '40',
    UPSTREAM_JITTER_MS: '40',
    UPSTREAM_ERROR_RATE: '0.03',
    LOG_LEVEL: 'info',
  });
  const result = await runScenario({
    url: service.url,
    adminToken,
    progress,
    random: seededRandom(42),
    onSample: (sample) => samples.push(sample),
    onBreakerState: (state) => {
      breaker = state;
    },
  });
  progress.phase('shutting the service down (SIGTERM)');
  const exit = await service.stop();
  progress.stop();
  process.off('SIGINT', onInterrupt);
  console.log(formatReport(result, service.logs, exit));
  const hung = result.samples.filter((sample) => sample.status === 0).length;
  if (exit.code !== 0 || hung > 0) {
    console.error('The demo found a problem: see the report above.');
    process.exitCode = 1;
  }
} catch (error) {
  progress.stop();
  process.off('SIGINT', onInterrupt);
  service?.kill();
  console.error('The demo failed:', error);
  process.exitCode = 1;
}
