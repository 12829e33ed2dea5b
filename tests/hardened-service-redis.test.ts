/**
 * The hardened service (examples/hardened-service) on a real redis-server, under load, while
 * its upstream fails and recovers and Redis is killed and restarted: every request is answered
 * within its deadline, nothing goes unhandled, rate limits hold within the fallback's
 * documented bound, the breaker opens and recovers, and /metrics, /readyz and the logs show
 * each phase. Real time: the service's timeouts are shortened so each phase takes about a
 * second, and every step polls for the previous one instead of sleeping.
 */
import { hasRedisServer, type RedisServer, startRedisServer } from '@rampart/test-harness';
import { afterAll, beforeAll, describe } from 'vitest';
import { itHoldsTheOutageGuarantees } from '../examples/hardened-service/test-support/expectations.ts';
import {
  runOutageScenario,
  type ScenarioObservations,
} from '../examples/hardened-service/test-support/outage-scenario.ts';

describe.runIf(hasRedisServer())(
  'hardened service on Redis, killed and restarted under load',
  () => {
    let server: RedisServer;
    let observations: ScenarioObservations;

    beforeAll(async () => {
      server = await startRedisServer();
      observations = await runOutageScenario({ redisUrl: server.url }, server);
    }, 60_000);
    afterAll(() => server?.stop());

    itHoldsTheOutageGuarantees(() => observations);
  },
);
