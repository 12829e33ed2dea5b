import { ConfigurationError } from '@rampart/errors';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisStore } from './redis-store.ts';

describe('redisStore options', () => {
  it('says how to pass a client given in place of the options, in one short sentence', () => {
    // Clients that never connect: only their shape is inspected.
    const clients = [
      new Redis({ lazyConnect: true, enableOfflineQueue: false }),
      new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true }),
    ];
    for (const client of clients) {
      let error: unknown;
      try {
        redisStore(client as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toBe(
        'redisStore: expected a plain options object, got a Redis client; pass the client as `{ client }`',
      );
      client.disconnect();
    }
  });
});
