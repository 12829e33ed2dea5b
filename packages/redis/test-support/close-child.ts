/**
 * Spawned by the close tests: creates a client (ioredis CHILD_IOREDIS_MAJOR) with the
 * recommended options for CHILD_REDIS_URL, lets it reach the state CHILD_WHEN names, closes
 * it with closeRedis and prints its final status. The process must exit on its own.
 *
 * - `at-once`: closed in the tick it was created (still connecting);
 * - `after-failure`: closed once a connection attempt failed (waiting to reconnect);
 * - `after-ready`: closed once ready (the server may be frozen meanwhile by the test, which
 *   it signals through `ready` on stdout and a line on stdin).
 */
import { once } from 'node:events';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import { closeRedis, recommendedRedisOptions } from '../src/index.ts';

const major = Number(process.env.CHILD_IOREDIS_MAJOR);
const flavour = ioredisClients.find((each) => each.major === major);
const url = process.env.CHILD_REDIS_URL;
const when = process.env.CHILD_WHEN;
if (flavour === undefined || url === undefined)
  throw new Error('CHILD_IOREDIS_MAJOR and CHILD_REDIS_URL are required');

const client = new flavour.Redis(url, { ...recommendedRedisOptions, retryStrategy: () => 20 });
client.on('error', () => {});
if (when === 'after-failure') await new Promise((resolve) => client.once('reconnecting', resolve));
if (when === 'at-once-ready') await new Promise((resolve) => client.once('ready', resolve));
if (when === 'after-ready') {
  await new Promise((resolve) => client.once('ready', resolve));
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  process.stdin.destroy(); // the test's pipe must not be what keeps the process alive
}
await closeRedis(client, { timeoutMs: 500 });
process.stdout.write(`closed: ${client.status}\n`);
