import { randomBytes } from 'node:crypto';
import {
  type Clock,
  describeValue,
  isRampartError,
  type RampartError,
  TimeoutError,
  UnavailableError,
} from '@rampart/errors';
import type { CacheBus, CacheBusSubscription } from '../bus.ts';
import type { Telemetry } from './telemetry.ts';

/** What the bus delivers to the cache. */
export interface BusLinkHandlers {
  /** Another instance wrote or deleted these keys. */
  keys(keys: readonly string[]): void;
  /** Another instance invalidated these tags; their new versions (`"hard:soft"`). */
  tags(versions: Readonly<Record<string, string>>): void;
  /** Another instance cleared the namespace. */
  clear(): void;
  /** The subscription became active (first time or after an outage): flush L1. */
  connected(): void;
}

/** Settings of a {@link BusLink}. */
export interface BusLinkOptions {
  readonly bus: CacheBus | undefined;
  readonly namespace: string;
  readonly busDownTtlMs: number;
  readonly timeoutMs: number;
  readonly retryMs: number;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  readonly handlers: BusLinkHandlers;
}

/** An invalidation to publish. */
export interface BusMessage {
  readonly keys?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly clear?: boolean;
}

const PREFIX = 'b1';

/** `none`: no bus; `up`: receiving; `down`: not receiving (or not yet). */
export type BusState = 'none' | 'up' | 'down';

/**
 * The cache's end of the bus: encodes and publishes invalidations (with a deadline, retrying
 * failed ones for up to `busDownTtlMs`), decodes what other instances publish, tracks whether
 * messages are arriving, and wakes loads waiting for a key another instance is loading.
 *
 * While the subscription is down, L1 may miss invalidations, so it serves an entry only while
 * `storedAt > now - busDownTtlMs` ({@link BusLink.minStoredAt}); when it comes back the cache
 * flushes L1. A cache without a bus is never "down": it keeps the core behaviour.
 */
export class BusLink {
  /** Identifies this cache instance in its messages, so it ignores its own. */
  readonly instanceId: string = randomBytes(9).toString('base64url');
  readonly #options: BusLinkOptions;
  readonly #subscription: CacheBusSubscription | undefined;
  readonly #waiters = new Map<string, Set<() => void>>();
  #state: BusState;
  #downSince: number;
  #connections = 0;
  #pending:
    | { keys: Set<string>; tags: Map<string, string>; clear: boolean; since: number }
    | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: BusLinkOptions) {
    this.#options = options;
    this.#downSince = options.clock.now();
    this.#state = options.bus === undefined ? 'none' : 'down';
    this.#subscription = options.bus?.subscribe(options.namespace, {
      message: (payload) => this.#receive(payload),
      connected: () => this.#connected(),
      disconnected: () => this.#disconnected(),
    });
  }

  get state(): BusState {
    return this.#state;
  }

  /** Counts (re)connections: a tag version fetched during connection `n` is trusted while it lasts. */
  get connection(): number {
    return this.#connections;
  }

  /** L1 entries stored before this time must not be served as fresh (`-Infinity`: no limit). */
  minStoredAt(now: number): number {
    return this.#state === 'down' ? now - this.#options.busDownTtlMs : Number.NEGATIVE_INFINITY;
  }

  /**
   * Publishes an invalidation; never rejects. The caller waits for it only until `since +
   * timeoutMs` (the deadline of the write it follows, by the cache's clock): past that the
   * publish goes on in the background. Failed publishes are retried in the background.
   */
  async publish(message: BusMessage, since: number = this.#options.clock.now()): Promise<void> {
    const subscription = this.#subscription;
    if (subscription === undefined || this.#closed) return;
    const sending = this.#send(subscription, message).then((ok) => {
      if (!ok) this.#queue(message);
    });
    const waitMs = since + this.#options.timeoutMs - this.#options.clock.now();
    if (waitMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      // Not unref'ed: the caller is waiting for it.
      timer = setTimeout(resolve, waitMs);
    });
    try {
      await Promise.race([sending, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Queues an invalidation for the background retries without sending it now (L2, which the
   * bus usually shares, is cooling down: a publish would only wait for its deadline).
   */
  defer(message: BusMessage): void {
    if (this.#subscription === undefined || this.#closed) return;
    this.#queue(message);
  }

  /**
   * Resolves when another instance publishes about `key`, after `timeoutMs`, or when `signal`
   * aborts, whichever comes first (never rejects).
   */
  waitFor(key: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) {
        waiters = new Set();
        this.#waiters.set(key, waiters);
      }
      const set = waiters;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.#waiters.get(key) === set) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** Stops the subscription and the retries. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#wakeAll();
    await this.#subscription?.close().catch(() => undefined);
  }

  async #send(subscription: CacheBusSubscription, message: BusMessage): Promise<boolean> {
    const payload = `${PREFIX}${JSON.stringify({
      i: this.instanceId,
      ...(message.keys === undefined || message.keys.length === 0 ? {} : { k: message.keys }),
      ...(message.tags === undefined ? {} : { t: message.tags }),
      ...(message.clear === true ? { c: 1 } : {}),
    })}`;
    const { timeoutMs, telemetry } = this.#options;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new TimeoutError(`Bus publish took longer than ${timeoutMs} ms`, {
          captureStack: false,
        });
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([subscription.publish(payload, controller.signal), deadline]);
      telemetry.counters.busPublished += 1;
      return true;
    } catch (error) {
      telemetry.bus('publish-failed', { error: toBusError(error) });
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  #queue(message: BusMessage): void {
    if (this.#closed) return;
    const pending = this.#pending ?? {
      keys: new Set<string>(),
      tags: new Map<string, string>(),
      clear: false,
      since: this.#options.clock.now(),
    };
    this.#pending = pending;
    for (const key of message.keys ?? []) pending.keys.add(key);
    for (const [tag, version] of Object.entries(message.tags ?? {})) pending.tags.set(tag, version);
    if (message.clear === true) pending.clear = true;
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#retryTimer !== undefined || this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#retry();
    }, this.#options.retryMs);
    this.#retryTimer.unref();
  }

  async #retry(): Promise<void> {
    const pending = this.#pending;
    const subscription = this.#subscription;
    if (pending === undefined || subscription === undefined || this.#closed) return;
    this.#pending = undefined;
    const ok = await this.#send(subscription, {
      keys: [...pending.keys],
      ...(pending.tags.size === 0 ? {} : { tags: Object.fromEntries(pending.tags) }),
      clear: pending.clear,
    });
    if (ok) return;
    // Keep trying while other instances may still serve what this message invalidates.
    if (this.#options.clock.now() - pending.since >= this.#options.busDownTtlMs) return;
    const merged = this.#pending as typeof pending | undefined;
    this.#pending = pending;
    if (merged !== undefined) {
      for (const key of merged.keys) pending.keys.add(key);
      for (const [tag, version] of merged.tags) pending.tags.set(tag, version);
      pending.clear ||= merged.clear;
    }
    this.#scheduleRetry();
  }

  #receive(payload: string): void {
    if (this.#closed || !payload.startsWith(PREFIX)) return;
    let message: { i?: unknown; k?: unknown; t?: unknown; c?: unknown };
    try {
      message = JSON.parse(payload.slice(PREFIX.length)) as typeof message;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const keys = Array.isArray(message.k)
      ? message.k.filter((key): key is string => typeof key === 'string')
      : [];
    // Loads waiting for another instance wake on any message about their key, ours included.
    for (const key of keys) this.#wake(key);
    if (message.i === this.instanceId) return;
    this.#options.telemetry.counters.busReceived += 1;
    const { handlers } = this.#options;
    if (message.c === 1) {
      handlers.clear();
      this.#wakeAll();
    }
    if (keys.length > 0) handlers.keys(keys);
    if (typeof message.t === 'object' && message.t !== null) {
      const tags: Record<string, string> = {};
      for (const [tag, version] of Object.entries(message.t)) {
        if (typeof version === 'string') tags[tag] = version;
      }
      handlers.tags(tags);
    }
  }

  #connected(): void {
    if (this.#closed) return;
    const now = this.#options.clock.now();
    const wasDown = this.#state === 'down';
    this.#connections += 1;
    this.#state = 'up';
    // Anything published while the subscription was not active may have been missed.
    this.#options.handlers.connected();
    this.#wakeAll();
    if (wasDown) this.#options.telemetry.bus('connected', { downForMs: now - this.#downSince });
  }

  #disconnected(): void {
    if (this.#closed || this.#state !== 'up') return;
    this.#state = 'down';
    this.#downSince = this.#options.clock.now();
    this.#options.telemetry.bus('disconnected');
  }

  #wake(key: string): void {
    const waiters = this.#waiters.get(key);
    if (waiters === undefined) return;
    for (const wake of [...waiters]) wake();
  }

  #wakeAll(): void {
    for (const waiters of [...this.#waiters.values()]) for (const wake of [...waiters]) wake();
  }
}

function toBusError(error: unknown): RampartError {
  if (isRampartError(error)) return error;
  const message = error instanceof Error ? error.message : describeValue(error);
  return new UnavailableError(`Bus publish failed: ${message}`, {
    cause: error,
    captureStack: false,
  });
}
