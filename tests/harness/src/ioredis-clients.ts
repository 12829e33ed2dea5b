import { Cluster as Cluster5, Redis as Redis5 } from 'ioredis';
import { Cluster as Cluster6, Redis as Redis6 } from 'ioredis6';

/**
 * One ioredis major the Redis suites run against. Both are typed as ioredis 5, the version
 * the packages' sources compile against; ioredis 6 is the same API at run time.
 */
export interface IoredisClient {
  /** For test names: `ioredis 5 (RESP2)`, `ioredis 6 (RESP3)`. */
  readonly name: string;
  readonly major: 5 | 6;
  /** The protocol the client speaks by default: ioredis 6 defaults to RESP3. */
  readonly protocol: 2 | 3;
  readonly Redis: typeof Redis5;
  readonly Cluster: typeof Cluster5;
}

/**
 * The ioredis majors every suite that exercises client behaviour (stores, bus, cluster,
 * faults) runs against: `describe.each(ioredisClients)('… ($name)', ({ Redis }) => …)`.
 */
export const ioredisClients: readonly IoredisClient[] = Object.freeze([
  { name: 'ioredis 5 (RESP2)', major: 5, protocol: 2, Redis: Redis5, Cluster: Cluster5 },
  {
    name: 'ioredis 6 (RESP3)',
    major: 6,
    protocol: 3,
    Redis: Redis6 as unknown as typeof Redis5,
    Cluster: Cluster6 as unknown as typeof Cluster5,
  },
]);
