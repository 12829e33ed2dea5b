/**
 * Test harness for Rampart's Redis suites: real `redis-server` processes and clusters on
 * free ports, fault injection, and leak-proof cleanup.
 *
 * @packageDocumentation
 */
import { removeOrphans } from './orphans.ts';

// Servers left behind by a crashed or SIGKILLed run die when the next run loads the harness.
removeOrphans();

export { hasRedisServer } from './has-redis-server.ts';
export {
  type HostileOutcome,
  type HostileReturnValue,
  hostileReturnValues,
} from './hostile-values.ts';
export { type RedisCluster, startRedisCluster } from './redis-cluster.ts';
export { type RedisServer, startRedisServer } from './redis-server.ts';
export { runToExit } from './run-to-exit.ts';
export { useRedis } from './use-redis.ts';
