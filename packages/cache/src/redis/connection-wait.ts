import type { RedisClient } from '@rampart/redis';
import { pendingConnection } from '@rampart/redis';
import type { L2Store } from '../l2-store.ts';

/**
 * Makes every call of `store` that arrives while the client is still connecting (created in
 * the same tick, `lazyConnect`, a reconnect attempt under way) wait for the connection
 * instead of failing at once, within the call's own deadline: every L2 method takes the
 * cache's signal last, which aborts when `l2TimeoutMs` passes or the caller gives up. A
 * call abandoned before the connection is never sent; a call whose connection attempt
 * failed is sent and fails with the client's error. A ready client, or one that is down and
 * waiting to reconnect, is called at once.
 */
export function waitingForConnection(client: RedisClient, store: L2Store): L2Store {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function' || name === 'onRemoteClear') {
      wrapped[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]): Promise<unknown> => {
      const last = args[args.length - 1];
      const signal = last instanceof AbortSignal ? last : undefined;
      const connecting = pendingConnection(client, signal);
      if (connecting === undefined) return method(...args);
      // A failed attempt lets the call fail with the client's own error; an abort (the
      // deadline passed, the caller gave up) means it is never sent.
      const run = (): Promise<unknown> => method(...args);
      return connecting.then(run, (error: unknown) => {
        if (signal?.aborted === true) throw error;
        return run();
      });
    };
  }
  return wrapped as unknown as L2Store;
}
