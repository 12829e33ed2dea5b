import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../client.ts';

/** The sockets a client holds now: its own, or those of every node of a Cluster. */
function socketsOf(client: RedisClient): { destroy(): void; destroyed?: boolean }[] {
  const connections: Redis[] = client.isCluster
    ? (client as Cluster).nodes('all')
    : [client as Redis];
  const sockets: { destroy(): void; destroyed?: boolean }[] = [];
  for (const connection of connections) {
    const stream = (connection as { stream?: { destroy?: unknown; destroyed?: boolean } }).stream;
    if (typeof stream?.destroy === 'function') {
      sockets.push(stream as { destroy(): void; destroyed?: boolean });
    }
  }
  return sockets;
}

/**
 * Destroys every socket the client still holds. `disconnect()` only ends them, and an ended
 * socket to a hung (frozen) server stays open until the server answers, keeping the
 * process alive; a destroyed one closes at once and lets the client reach `end`.
 */
export function destroySockets(client: RedisClient): void {
  for (const socket of socketsOf(client)) {
    if (socket.destroyed !== true) socket.destroy();
  }
}

/**
 * Whether a client that was told to disconnect holds nothing any more: it ended, or (ioredis
 * 5, a single node disconnected while it waited to reconnect) it stays `reconnecting` with
 * its retry timer cleared and no socket, or it is a Cluster left with no node.
 */
export function isFullyClosed(client: RedisClient): boolean {
  if (client.status === 'end') return true;
  if (client.isCluster) {
    return client.status !== 'ready' && (client as Cluster).nodes('all').length === 0;
  }
  if (client.status !== 'reconnecting') return false;
  const stream = (client as { stream?: { destroyed?: boolean } }).stream;
  return stream === undefined || stream.destroyed === true;
}

/** The parts of ioredis 5's single-node client that {@link finishReconnectingClose} uses. */
interface StuckClient {
  setStatus?: (status: 'end') => void;
  flushQueue?: (error: Error) => void;
}

/**
 * Finishes the close of a single-node ioredis 5 client disconnected while it waited to
 * reconnect: ioredis 5 clears the retry timer but leaves the client `reconnecting` for
 * ever, with queued commands pending and no `end` event (ioredis 6 ends it). This does
 * what ioredis 6 does: fails the queued commands and moves the client to `end`.
 */
export function finishReconnectingClose(client: RedisClient): void {
  if (client.isCluster || client.status !== 'reconnecting' || !isFullyClosed(client)) return;
  const stuck = client as unknown as StuckClient;
  stuck.flushQueue?.(new Error('Connection is closed.'));
  stuck.setStatus?.('end');
}
