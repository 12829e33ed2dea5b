/**
 * Runs the hardened service until SIGTERM or SIGINT, configured from the environment (see
 * `configFromEnvironment`): in memory by default, on Redis with `REDIS_URL`, on a Redis
 * Cluster with `REDIS_CLUSTER_NODES`. With `--once` or `SMOKE=1` it instead runs a short
 * self-check against itself on a free port and exits.
 *
 *   pnpm --filter @rampart/example-hardened-service start
 *   REDIS_URL=redis://127.0.0.1:6379 pnpm --filter @rampart/example-hardened-service start
 *   pnpm --filter @rampart/example-hardened-service smoke
 */
import { isRampartError } from '@rampart/errors';
import { configFromEnvironment } from './environment.ts';
import { exitOnCrash } from './process-handlers.ts';
import { runSelfCheck } from './self-check.ts';
import { startService } from './service.ts';

const selfCheck = process.argv.includes('--once') || process.env.SMOKE === '1';

try {
  const options = configFromEnvironment(process.env);
  if (selfCheck) {
    await runSelfCheck(options);
  } else {
    // SIGTERM or SIGINT: readiness fails, requests drain, everything closes in order; the
    // process then exits on its own. A second signal exits at once.
    const service = await startService(options, { signals: ['SIGTERM', 'SIGINT'] });
    exitOnCrash(service);
  }
} catch (error) {
  console.error(isRampartError(error, 'E_CONFIG') ? error.message : error);
  process.exitCode = 1;
}
