import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { CacheBusHandlers } from '../bus.ts';
import { keySlot } from './cluster-slot.ts';
import type { RedisClient } from './redis-client.ts';

/** How a bus publishes and subscribes: sharded pub/sub (Redis 7 Cluster) or classic. */
export interface PubSubMode {
  sharded: boolean;
}

/** Settings of a {@link BusSubscriber}. */
export interface BusSubscriberOptions {
  readonly client: RedisClient;
  readonly channel: string;
  readonly handlers: CacheBusHandlers;
  readonly heartbeatMs: number;
  readonly connectionName: string;
  readonly mode: PubSubMode;
}

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2_000;

/**
 * The dedicated connection that receives one channel. It reconnects by itself with backoff
 * (on a Cluster, to whichever master owns the channel's slot at that moment) and reports
 * `connected` once the subscription is active again and `disconnected` as soon as it is lost:
 * the socket closed, the server stopped answering a `PING` within `heartbeatMs`, or the
 * connection's replies went out of step (Redis moved the channel's slot elsewhere).
 */
export class BusSubscriber {
  readonly #options: BusSubscriberOptions;
  #connection: Redis | undefined;
  #connected = false;
  #closed = false;
  #retryMs = FIRST_RETRY_MS;
  #retryTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: BusSubscriberOptions) {
    this.#options = options;
    this.#open();
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Ends the subscription and its connection. */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    const connection = this.#connection;
    this.#connection = undefined;
    this.#connected = false;
    connection?.disconnect();
    return Promise.resolve();
  }

  #open(): void {
    if (this.#closed) return;
    const connection = this.#create();
    if (connection === undefined) {
      this.#scheduleRetry();
      return;
    }
    this.#connection = connection;
    const { channel, handlers, mode } = this.#options;
    connection.on('error', (error: Error) => {
      // Replies out of step with commands: the server dropped the subscription (a slot moved).
      if (error.message.includes('Command queue state error')) this.#abandon(connection);
    });
    connection.on(mode.sharded ? 'smessage' : 'message', (from: string, payload: string) => {
      if (from === channel && connection === this.#connection) handlers.message(payload);
    });
    connection.once('ready', () => void this.#subscribe(connection));
    connection.on('close', () => this.#lost(connection));
    connection.once('end', () => {
      this.#lost(connection);
      if (connection === this.#connection) {
        this.#connection = undefined;
        this.#scheduleRetry();
      }
    });
    connection.connect().catch(() => {
      // 'end' follows: the retry is scheduled there.
    });
  }

  /** A new connection to the node that serves the channel; `undefined` when none is known yet. */
  #create(): Redis | undefined {
    const { client, connectionName, mode } = this.#options;
    const overrides: Partial<RedisOptions> = {
      lazyConnect: true,
      autoResubscribe: false,
      enableOfflineQueue: true,
      retryStrategy: () => null,
      connectionName,
    };
    if (!client.isCluster) return (client as Redis).duplicate(overrides);
    const cluster = client as Cluster;
    // Sharded: the master that owns the channel's slot; classic: any node (messages reach all).
    const slot = mode.sharded ? keySlot(this.#options.channel) : 0;
    const owner = cluster.slots[slot]?.[0] ?? cluster.slots.find((nodes) => nodes.length > 0)?.[0];
    if (owner === undefined) return undefined;
    // Duplicated from one of the cluster's own node connections, so the subscriber uses the
    // same ioredis (5 or 6) and the same per-node options as the client it serves.
    const nodes = cluster.nodes('all');
    const node = nodes.find((each) => `${each.options.host}:${each.options.port}` === owner);
    if (node !== undefined) return node.duplicate(overrides);
    const colon = owner.lastIndexOf(':');
    return nodes[0]?.duplicate({
      ...overrides,
      host: owner.slice(0, colon),
      port: Number(owner.slice(colon + 1)),
    });
  }

  async #subscribe(connection: Redis): Promise<void> {
    const { channel, mode, client } = this.#options;
    try {
      if (mode.sharded) await connection.ssubscribe(channel);
      else await connection.subscribe(channel);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (mode.sharded && /unknown command/i.test(message)) {
        // Redis before 7: classic pub/sub reaches every node of a Cluster.
        mode.sharded = false;
      } else if (/MOVED/.test(message) && client.isCluster) {
        (client as Cluster).refreshSlotsCache();
      }
      this.#abandon(connection);
      return;
    }
    if (connection !== this.#connection || this.#closed) return;
    this.#retryMs = FIRST_RETRY_MS;
    this.#connected = true;
    this.#startHeartbeat(connection);
    this.#options.handlers.connected();
  }

  #startHeartbeat(connection: Redis): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    const { heartbeatMs } = this.#options;
    let pending = false;
    this.#heartbeat = setInterval(() => {
      if (pending || connection !== this.#connection) return;
      pending = true;
      const timer = setTimeout(() => this.#abandon(connection), heartbeatMs);
      timer.unref();
      connection.ping().then(
        () => {
          pending = false;
          clearTimeout(timer);
        },
        () => {
          clearTimeout(timer);
          this.#abandon(connection);
        },
      );
    }, heartbeatMs);
    this.#heartbeat.unref();
  }

  /**
   * Gives up on a connection that stopped answering: reports the loss at once (closing a
   * socket to a hung server does not complete until it answers) and opens another.
   */
  #abandon(connection: Redis): void {
    if (connection !== this.#connection) return;
    this.#lost(connection);
    this.#connection = undefined;
    connection.disconnect();
    this.#scheduleRetry();
  }

  #lost(connection: Redis): void {
    if (connection !== this.#connection || !this.#connected) return;
    this.#connected = false;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    if (!this.#closed) this.#options.handlers.disconnected();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    const { client } = this.#options;
    // The channel's slot may have moved (failover, resharding): look again before retrying.
    if (client.isCluster) (client as Cluster).refreshSlotsCache();
    const delay = this.#retryMs;
    this.#retryMs = Math.min(MAX_RETRY_MS, this.#retryMs * 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#open();
    }, delay);
    this.#retryTimer.unref();
  }
}
