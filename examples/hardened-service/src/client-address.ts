import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** An address without the IPv4-mapped prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4
    ? trimmed.slice(7)
    : trimmed;
}

/**
 * Finds the client's address. The socket's peer is the client unless it is a trusted proxy;
 * then `X-Forwarded-For` is read from the right (the entry the proxy appended) past every
 * trusted proxy, and the first untrusted address is the client. Entries left of it were
 * written by the client and are never believed. A malformed entry ends the search at the
 * last trustworthy hop.
 */
export function createClientAddressResolver(
  trustedProxies: readonly string[],
): (request: IncomingMessage) => string {
  const trusted = new Set(trustedProxies.map(normalize));
  return (request) => {
    const peer = normalize(request.socket.remoteAddress ?? '');
    if (!trusted.has(peer)) return peer;
    const header = request.headers['x-forwarded-for'];
    if (typeof header !== 'string' || header === '') return peer;
    const hops = header.split(',');
    let client = peer;
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = normalize(hops[index] ?? '');
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!trusted.has(hop)) return hop;
    }
    return client;
  };
}
