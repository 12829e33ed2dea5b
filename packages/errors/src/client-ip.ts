import { type Address, parseAddress, parseAddressAt } from './internal/client-ip/address.ts';
import { forwardedForValues, MALFORMED } from './internal/client-ip/forwarded.ts';
import { type TrustTest, trustTestOf } from './internal/client-ip/trust.ts';
import { warnUntrustedForwarding } from './internal/client-ip/warning.ts';
import { invalidArgument } from './invalid-argument.ts';

/**
 * Which proxies may tell the client's address: `false` none (the socket's peer is the
 * client), `true` all, a number of hops counted from the socket (`1`: the load balancer in
 * front of the service), a list of addresses and CIDR ranges (IPv4 and IPv6, plus the names
 * `loopback`, `linklocal` and `uniquelocal`), or a function of a hop's normalised address and
 * its distance from the socket (0 is the peer).
 */
export type TrustProxy =
  | boolean
  | number
  | readonly string[]
  | ((address: string, hop: number) => boolean);

/** Options of {@link clientIp}. */
export interface ClientIpOptions {
  /**
   * Which proxies to believe, hop by hop from the socket; the first hop not trusted is the
   * client.
   * @default `false` — the socket's peer, which a client cannot forge; behind a load balancer
   *   that is the balancer, so set this to match your deployment.
   */
  readonly trustProxy?: TrustProxy | undefined;
  /**
   * The header trusted proxies append to: `'x-forwarded-for'` or RFC 7239 `'forwarded'`
   * (its `for=` parameters). Only that header is read: one a proxy does not set passes
   * through from the client untouched.
   * @default `'x-forwarded-for'` — the header every common load balancer sets.
   */
  readonly header?: 'x-forwarded-for' | 'forwarded' | undefined;
}

/**
 * The parts of a request {@link clientIp} reads: `node:http`'s `IncomingMessage`, Express's,
 * Fastify's `request.raw` and Connect's requests fit.
 */
export interface ClientRequestLike {
  /** Request headers, names in lower case. */
  readonly headers: { readonly [name: string]: string | readonly string[] | undefined };
  /** The connection; its `remoteAddress` is the first hop. */
  readonly socket?: { readonly remoteAddress?: string | undefined } | null | undefined;
}

/** What {@link clientIp} returns when the connection has no peer address (it closed). */
const UNKNOWN = 'unknown';

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // Repeated header lines, in order; anything else is not a header a proxy wrote.
  return Array.isArray(value)
    ? value.filter((line) => typeof line === 'string').join(',')
    : undefined;
}

/** Walks `X-Forwarded-For` right to left from `peer` while hops are trusted. */
function walkForwardedFor(header: string, peer: Address, trusted: TrustTest): string {
  let current = peer;
  let end = header.length;
  for (let hop = 0; trusted(current, hop); hop++) {
    if (end < 0) return current.text;
    const comma = end === 0 ? -1 : header.lastIndexOf(',', end - 1);
    const next = parseAddressAt(header, comma + 1, end);
    // A hop we cannot read ends the walk: nothing to its left came from a trusted proxy.
    if (next === undefined) return current.text;
    current = next;
    end = comma;
  }
  return current.text;
}

/** Walks RFC 7239 `Forwarded` elements right to left from `peer` while hops are trusted. */
function walkForwarded(header: string, peer: Address, trusted: TrustTest): string {
  const values = forwardedForValues(header);
  let current = peer;
  for (let hop = 0; trusted(current, hop); hop++) {
    const value = values[values.length - 1 - hop];
    if (value === undefined) return current.text;
    const next = value === MALFORMED ? undefined : parseAddress(value);
    if (next === undefined) return current.text;
    current = next;
  }
  return current.text;
}

/**
 * The address of the client that sent a request, believing forwarding headers only as far
 * as `trustProxy` says: normalised (IPv4-mapped IPv6 such as `::ffff:203.0.113.7` as
 * `203.0.113.7`, IPv6 in RFC 5952 form), ready for `ipKey`, a log line or an allow-list.
 *
 * @remarks
 * The walk starts at the socket's peer (hop 0). While the current hop is a trusted proxy,
 * it steps to the address that proxy appended: the right-most unread entry of the header.
 * The first hop not trusted is the client; when every hop is trusted, the left-most entry
 * is. An entry that is not an address (`unknown`, an obfuscated `_name`, garbage, a bad
 * `Forwarded` element) ends the walk at the trusted hop before it, so the answer never
 * comes from text a client could have written. Ports, brackets, quotes and zones are
 * dropped.
 *
 * Behind a load balancer every client shares its address: with `trustProxy` unset, the
 * first request carrying `X-Forwarded-For` or `Forwarded` emits a one-time process warning
 * (`RAMPART_UNTRUSTED_FORWARDING`) so a missing setting does not go unnoticed.
 *
 * Define the options once (a list is compiled on first use and remembered by identity).
 * Returns `'unknown'` when the connection has no address any more (it closed).
 *
 * @throws {@link ValidationError} when `trustProxy` or `header` is invalid (a negative hop
 *   count, a list entry that is not an address or CIDR range).
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { clientIp } from '@rampart/errors';
 *
 * // One load balancer in front of the service, in the 10.0.0.0/8 network.
 * const proxy = { trustProxy: ['10.0.0.0/8'] };
 * createServer((request, response) => {
 *   response.end(`hello ${clientIp(request, proxy)}`);
 * });
 * ```
 */
export function clientIp(request: ClientRequestLike, options: ClientIpOptions = {}): string {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument('clientIp', 'options', 'must be an object', options);
  }
  const trusted = trustTestOf(options.trustProxy);
  if (typeof trusted !== 'function') {
    throw invalidArgument('clientIp', 'trustProxy', trusted.expectation, trusted.received);
  }
  const headerName = options.header ?? 'x-forwarded-for';
  if (headerName !== 'x-forwarded-for' && headerName !== 'forwarded') {
    throw invalidArgument(
      'clientIp',
      'header',
      "must be 'x-forwarded-for' or 'forwarded'",
      headerName,
    );
  }
  const remote = request?.socket?.remoteAddress;
  const peer = typeof remote === 'string' ? parseAddressAt(remote, 0, remote.length) : undefined;
  if (peer === undefined) return UNKNOWN;
  const headers = request.headers ?? {};
  const header = headerText(headers[headerName]);
  if (options.trustProxy === undefined || options.trustProxy === false) {
    if (
      header !== undefined ||
      headers['x-forwarded-for'] !== undefined ||
      headers.forwarded !== undefined
    ) {
      warnUntrustedForwarding();
    }
    return peer.text;
  }
  if (header === undefined) return peer.text;
  return headerName === 'forwarded'
    ? walkForwarded(header, peer, trusted)
    : walkForwardedFor(header, peer, trusted);
}
