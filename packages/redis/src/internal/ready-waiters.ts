import type { RedisClient } from '../client.ts';

/** One caller waiting for a client's `ready`. */
export interface ReadyWaiter {
  /** Whether the waiter gives up when the current connection attempt fails (`close`). */
  readonly attemptOnly: boolean;
  resolve(): void;
  /** Called with `'closed'` after a failed attempt (attempt-only waiters), `'ended'` when the client ends. */
  reject(why: 'closed' | 'ended'): void;
}

/** The waiters of one client and the listeners that serve them all. */
interface Hub {
  readonly waiters: Set<ReadyWaiter>;
  readonly onReady: () => void;
  readonly onClose: () => void;
  readonly onEnd: () => void;
}

const hubs = new WeakMap<RedisClient, Hub>();

function settleAll(client: RedisClient, hub: Hub, settle: (waiter: ReadyWaiter) => boolean): void {
  for (const waiter of [...hub.waiters]) {
    if (settle(waiter)) hub.waiters.delete(waiter);
  }
  if (hub.waiters.size === 0) detach(client, hub);
}

function detach(client: RedisClient, hub: Hub): void {
  client.off('ready', hub.onReady);
  client.off('close', hub.onClose);
  client.off('end', hub.onEnd);
  hubs.delete(client);
}

/**
 * Adds `waiter` to the client's waiters. However many callers wait, the client carries one
 * listener per event, and none once nobody waits: waiting never trips the emitter's
 * listener limit nor keeps a closure alive after its caller stopped waiting.
 */
export function addReadyWaiter(client: RedisClient, waiter: ReadyWaiter): () => void {
  let hub = hubs.get(client);
  if (hub === undefined) {
    const created: Hub = {
      waiters: new Set(),
      onReady: () =>
        settleAll(client, created, (each) => {
          each.resolve();
          return true;
        }),
      onClose: () =>
        settleAll(client, created, (each) => {
          if (!each.attemptOnly) return false;
          each.reject('closed');
          return true;
        }),
      onEnd: () =>
        settleAll(client, created, (each) => {
          each.reject('ended');
          return true;
        }),
    };
    hub = created;
    hubs.set(client, hub);
    client.on('ready', hub.onReady);
    client.on('close', hub.onClose);
    client.on('end', hub.onEnd);
  }
  hub.waiters.add(waiter);
  const owner = hub;
  return () => {
    if (owner.waiters.delete(waiter) && owner.waiters.size === 0 && hubs.get(client) === owner) {
      detach(client, owner);
    }
  };
}

/** How many callers wait on `client` (for tests: nothing may stay behind). */
export function readyWaiterCount(client: RedisClient): number {
  return hubs.get(client)?.waiters.size ?? 0;
}
