import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../client.ts';

/** A socket a client holds. */
export interface HeldSocket {
  destroy(): void;
  destroyed?: boolean;
}

/**
 * The sockets a client holds now: its own, or those of every node of a Cluster. Take them
 * before `disconnect()`, which removes a Cluster's nodes from its list at once.
 */
export function socketsOf(client: RedisClient): { destroy(): void; destroyed?: boolean }[] {
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
 * Destroys `sockets` (those the client held before it was told to disconnect).
 * `disconnect()` only ends them, and an ended socket to a hung (frozen) server stays open
 * until the server answers, keeping the process alive; a destroyed one closes at once and
 * lets the client reach `end`.
 */
export function destroySockets(sockets: readonly HeldSocket[]): void {
  for (const socket of sockets) {
    if (socket.destroyed !== true) socket.destroy();
  }
}

/**
 * Whether a client that was told to disconnect holds nothing any more: it ended, or (ioredis
 * 5, a single node disconnected while it waited to reconnect) it stays `reconnecting` with
 * its retry timer cleared and no socket.
 */
export function isFullyClosed(client: RedisClient): boolean {
  if (client.status === 'end') return true;
  if (client.isCluster) return false; // a Cluster reaches `end` once its nodes are gone
  if (client.status !== 'reconnecting') return false;
  const stream = (client as { stream?: { destroyed?: boolean } }).stream;
  return stream === undefined || stream.destroyed === true;
}

/** The parts of ioredis 5's clients that {@link finishStuckClose} uses. */
interface StuckClient {
  setStatus?: (status: 'end' | 'close') => void;
  flushQueue?: (error: Error) => void;
  handleCloseEvent?: () => void;
}

/**
 * Finishes the close of an ioredis 5 client that `disconnect()` leaves half-way, with
 * nothing left open but no `end` event and queued commands pending for ever (ioredis 6
 * ends both):
 * - a single node disconnected while it waited to reconnect stays `reconnecting`;
 * - a Cluster disconnected before its first node connection stays `disconnecting`.
 * This does what ioredis 6 does: fails the queued commands and moves the client to `end`.
 */
export function finishStuckClose(client: RedisClient): void {
  const stuck = client as unknown as StuckClient;
  if (client.isCluster) {
    if (client.status !== 'disconnecting' || (client as Cluster).nodes('all').length > 0) return;
    stuck.setStatus?.('close');
    stuck.handleCloseEvent?.(); // manually closed: `end`, and the queue is failed
    return;
  }
  if (client.status !== 'reconnecting' || !isFullyClosed(client)) return;
  stuck.flushQueue?.(new Error('Connection is closed.'));
  stuck.setStatus?.('end');
}
