/**
 * The hardened service on a 3-master Redis Cluster, under load, while its upstream fails and
 * recovers and one master is killed (the cluster goes down after its node timeout) and
 * restarted: the same guarantees as on a single Redis (see hardened-service-redis.test.ts).
 */
import { hasRedisServer, type RedisCluster, startRedisCluster } from '@rampart/test-harness';
import { afterAll, beforeAll, describe } from 'vitest';
import { itHoldsTheOutageGuarantees } from '../examples/hardened-service/test-support/expectations.ts';
import {
  runOutageScenario,
  type ScenarioObservations,
} from '../examples/hardened-service/test-support/outage-scenario.ts';

describe.runIf(hasRedisServer())(
  'hardened service on a Redis Cluster, a master killed and restarted under load',
  () => {
    let cluster: RedisCluster;
    let observations: ScenarioObservations;

    beforeAll(async () => {
      cluster = await startRedisCluster();
      const [victim] = cluster.servers;
      if (victim === undefined) throw new Error('the cluster has no nodes');
      observations = await runOutageScenario({ redisClusterNodes: [...cluster.nodes] }, victim);
    }, 90_000);
    afterAll(() => cluster?.stop());

    itHoldsTheOutageGuarantees(() => observations);
  },
);
