/**
 * An in-process {@link CacheBus} for unit tests of the cache's logic across "instances" in
 * one process: messages are delivered asynchronously (a microtask), and a test can cut a
 * subscription off (it misses what is published meanwhile) and bring it back. The Redis bus
 * itself is tested against real Redis servers.
 */
import type { CacheBus, CacheBusHandlers, CacheBusSubscription } from '../src/bus.ts';

export interface MemoryBusSubscription extends CacheBusSubscription {
  /** Stops delivering to this subscription (it reports `disconnected`). */
  cut(): void;
  /** Delivers again (it reports `connected`). */
  restore(): void;
}

export interface MemoryBus extends CacheBus {
  /** Every subscription made, in order. */
  readonly subscriptions: MemoryBusSubscription[];
  /** Every payload published, in order. */
  readonly published: string[];
  /** When set, `publish` rejects (a failing Redis). */
  failing: boolean;
  /** When set, `publish` never settles until its signal aborts (a hung Redis). */
  hanging: boolean;
}

export function memoryBus(): MemoryBus {
  const subscribers = new Map<string, Set<{ handlers: CacheBusHandlers; live: boolean }>>();
  const bus: MemoryBus = {
    subscriptions: [],
    published: [],
    failing: false,
    hanging: false,
    subscribe(namespace, handlers) {
      const member = { handlers, live: true };
      let members = subscribers.get(namespace);
      if (members === undefined) {
        members = new Set();
        subscribers.set(namespace, members);
      }
      members.add(member);
      queueMicrotask(() => {
        if (member.live) handlers.connected();
      });
      const subscription: MemoryBusSubscription = {
        get connected() {
          return member.live;
        },
        async publish(payload, signal) {
          if (bus.failing) throw new Error('bus unavailable');
          if (bus.hanging) {
            await new Promise((_, reject) => {
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            });
          }
          bus.published.push(payload);
          const targets = [...(subscribers.get(namespace) ?? [])];
          queueMicrotask(() => {
            for (const target of targets) if (target.live) target.handlers.message(payload);
          });
        },
        async close() {
          member.live = false;
          subscribers.get(namespace)?.delete(member);
        },
        cut() {
          if (!member.live) return;
          member.live = false;
          handlers.disconnected();
        },
        restore() {
          if (member.live) return;
          member.live = true;
          handlers.connected();
        },
      };
      bus.subscriptions.push(subscription);
      return subscription;
    },
    async close() {
      for (const subscription of bus.subscriptions) await subscription.close();
    },
  };
  return bus;
}
