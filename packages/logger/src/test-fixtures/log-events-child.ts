/**
 * Spawned by log-events.test.ts: logs events of a real rate limiter whose store fails
 * (store errors, throttled into a pending summary) and then closes the logger. The summary
 * must reach stdout and the process must exit on its own, with no timer left behind.
 */
import { createRateLimiter, type RateLimitStore } from '@rampart/rate-limiter';
import { closeLogger, createLogger, logEvents } from '../index.ts';

const failingStore: RateLimitStore = {
  timeSource: 'caller',
  async consume() {
    throw new Error('connection refused');
  },
  async peek() {
    throw new Error('connection refused');
  },
  async reward() {
    throw new Error('connection refused');
  },
  async reset() {
    throw new Error('connection refused');
  },
  async close() {},
};

const logger = createLogger({ name: 'child', base: null });
logEvents(logger, { minIntervalMs: 3_600_000 });
const limiter = createRateLimiter({
  name: 'api',
  limits: [{ name: 'minute', limit: 10, windowMs: 60_000 }],
  store: failingStore,
  recovery: { failureThreshold: 100 },
});
for (let index = 0; index < 5; index += 1) await limiter.consume('client');
await closeLogger(logger);
await limiter.close();
