import { invalidArgument, MAX_TIMER_DELAY_MS } from '@rampart/errors';
import type { RateLimitDecision } from '../../decision.ts';
import { agedDecision } from '../decisions.ts';

/** The largest wait a timer can take (about 24.8 days). */
export const MAX_WAIT_MS: number = MAX_TIMER_DELAY_MS;

type ConsumeNow = (
  key: string,
  options: { readonly cost?: number | undefined; readonly signal?: AbortSignal | undefined },
) => RateLimitDecision | undefined;

type Consume = (
  key: string,
  options: { readonly cost?: number | undefined; readonly signal?: AbortSignal | undefined },
) => Promise<RateLimitDecision>;

interface Waiter {
  readonly key: string;
  readonly cost: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly deadline: number;
  readonly resolve: (decision: RateLimitDecision) => void;
  readonly reject: (error: unknown) => void;
  /** The waiter's own deadline timer, and the head's retry timer. */
  deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

interface Queue {
  readonly waiters: Waiter[];
  /** The latest rejection of the key, and when it came: the answer of a waiter that times out. */
  last: RateLimitDecision;
  lastAt: number;
  /** Whether the head is consuming right now (a call to the store is in flight). */
  busy: boolean;
}

/** Consumes that wait for capacity, one FIFO queue per key. */
export interface WaitingRoom {
  consume(
    key: string,
    options: {
      readonly cost?: number | undefined;
      readonly signal?: AbortSignal | undefined;
      readonly maxWaitMs: number;
    },
  ): Promise<RateLimitDecision>;
  /** Rejects every waiter with the limiter's closed error. */
  close(): void;
}

/**
 * Lets a consume wait for capacity instead of being refused, as rate-limiter-flexible's
 * `RateLimiterQueue` does. Per key, waiters form a FIFO queue of at most `maxWaitingPerKey`:
 * only the head retries (after each rejection's `retryAfterMs`), and a newcomer never
 * overtakes it. Each waiter resolves within its `maxWaitMs`: with an admitted decision, or
 * with the key's latest rejection when the wait would not fit. Timers are not `unref()`ed:
 * the caller is awaiting them.
 */
export function createWaitingRoom(
  consume: Consume,
  consumeNow: ConsumeNow,
  peek: Consume,
  maxWaitingPerKey: number,
  clock: () => number,
  closedError: () => Error,
): WaitingRoom {
  const queues = new Map<string, Queue>();

  const settle = (waiter: Waiter): void => {
    waiter.done = true;
    clearTimeout(waiter.deadlineTimer);
    clearTimeout(waiter.retryTimer);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  };

  /** Removes a settled waiter; when it was the head, the next one tries at once. */
  const leave = (queue: Queue, waiter: Waiter): void => {
    const index = queue.waiters.indexOf(waiter);
    if (index === -1) return;
    queue.waiters.splice(index, 1);
    if (queue.waiters.length === 0) {
      if (queues.get(waiter.key) === queue) queues.delete(waiter.key);
      return;
    }
    if (index === 0 && !queue.busy) attempt(queue);
  };

  /** The head consumes; admitted it leaves, rejected it waits again if that fits its deadline. */
  const attempt = (queue: Queue): void => {
    const head = queue.waiters[0];
    if (head === undefined || head.done) return;
    queue.busy = true;
    consume(head.key, { cost: head.cost, signal: head.signal }).then(
      (decision) => {
        queue.busy = false;
        if (head.done) {
          // Aborted or timed out meanwhile; an admitted call nobody takes is simply spent.
          if (queue.waiters[0] !== undefined && !queue.busy) attempt(queue);
          return;
        }
        if (decision.allowed) {
          settle(head);
          head.resolve(decision);
          leave(queue, head);
          return;
        }
        queue.last = decision;
        queue.lastAt = clock();
        if (queue.lastAt + decision.retryAfterMs > head.deadline) {
          settle(head);
          head.resolve(decision);
          leave(queue, head);
          return;
        }
        head.retryTimer = setTimeout(() => attempt(queue), Math.max(1, decision.retryAfterMs));
      },
      (error: unknown) => {
        queue.busy = false;
        if (!head.done) {
          settle(head);
          head.reject(error);
        }
        leave(queue, head);
      },
    );
  };

  const room: WaitingRoom = {
    consume(key, options) {
      const { maxWaitMs, cost, signal } = options;
      if (!Number.isSafeInteger(maxWaitMs) || maxWaitMs < 0 || maxWaitMs > MAX_WAIT_MS) {
        return Promise.reject(
          invalidArgument(
            'consume',
            'options.maxWaitMs',
            `must be an integer from 0 to ${MAX_WAIT_MS}`,
            maxWaitMs,
          ),
        );
      }
      const queued = queues.has(key);
      // The common case first: no queue, and an in-process store admits the call at once.
      const now = queued ? undefined : consumeNow(key, options);
      if (now?.allowed === true) return Promise.resolve(now);
      // Behind a queue a newcomer does not consume (it would overtake the waiters): a peek
      // (which validates the call and charges nothing) tells whether waiting can fit.
      const first =
        now !== undefined
          ? Promise.resolve(now)
          : queued
            ? peek(key, { cost, signal })
            : consume(key, { cost, signal });
      return first.then((decision): RateLimitDecision | Promise<RateLimitDecision> => {
        const startedAt = clock();
        let queue = queues.get(key);
        if (!queued && decision.allowed) return decision;
        // The queue emptied while this peeked: consume afresh.
        if (queued && queue === undefined) return room.consume(key, options);
        const waitMs = queued && decision.allowed ? 0 : decision.retryAfterMs;
        if (
          waitMs > maxWaitMs ||
          (queue !== undefined && queue.waiters.length >= maxWaitingPerKey)
        ) {
          return queued && queue !== undefined
            ? agedDecision(queue.last, startedAt - queue.lastAt, cost ?? 1, queue.last.source)
            : decision;
        }
        if (signal?.aborted === true) return Promise.reject(signal.reason);
        return new Promise<RateLimitDecision>((resolve, reject) => {
          if (queue === undefined) {
            queue = { waiters: [], last: decision, lastAt: startedAt, busy: false };
            queues.set(key, queue);
          }
          const own = queue;
          const waiter: Waiter = {
            key,
            cost,
            signal,
            deadline: startedAt + maxWaitMs,
            resolve,
            reject,
            deadlineTimer: undefined,
            retryTimer: undefined,
            onAbort: undefined,
            done: false,
          };
          waiter.deadlineTimer = setTimeout(() => {
            // The head keeps its own deadline: it gives up when its next try would not fit.
            if (waiter.done || own.waiters[0] === waiter) return;
            settle(waiter);
            resolve(agedDecision(own.last, clock() - own.lastAt, cost ?? 1, own.last.source));
            leave(own, waiter);
          }, maxWaitMs);
          if (signal !== undefined) {
            waiter.onAbort = () => {
              if (waiter.done) return;
              settle(waiter);
              reject(signal.reason);
              leave(own, waiter);
            };
            signal.addEventListener('abort', waiter.onAbort, { once: true });
          }
          own.waiters.push(waiter);
          if (own.waiters.length === 1) {
            // The first waiter waits out the rejection it just got, then tries.
            waiter.retryTimer = setTimeout(() => attempt(own), Math.max(1, waitMs));
          }
        });
      });
    },
    close() {
      for (const queue of queues.values()) {
        for (const waiter of queue.waiters) {
          if (waiter.done) continue;
          settle(waiter);
          waiter.reject(closedError());
        }
      }
      queues.clear();
    },
  };
  return room;
}
