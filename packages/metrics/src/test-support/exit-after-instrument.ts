/**
 * Run by instrument.test.ts in a child process: instruments a metrics instance, opens a real
 * circuit breaker, scrapes, closes; the process must then exit on its own.
 */
import { createCircuitBreaker } from '@rampart/circuit-breaker';
import { createMetrics, instrument, instrumentMetricNames } from '../index.ts';

const metrics = createMetrics();
instrument(metrics);
const breaker = createCircuitBreaker(
  async () => {
    throw new Error('dependency down');
  },
  { name: 'users', volumeThreshold: 1, errorThresholdPercentage: 50 },
);
await breaker.execute().catch(() => undefined);
const text = await metrics.render();
const openings = text
  .split('\n')
  .filter(
    (line) =>
      line.startsWith(instrumentMetricNames.circuitBreakerTransitions) &&
      line.includes('to="open"'),
  )
  .map((line) => Number(line.split(' ').at(-1)));
await metrics.close();
await breaker.dispose();
process.stdout.write(`recorded ${openings.reduce((sum, count) => sum + count, 0)} opening\n`);
