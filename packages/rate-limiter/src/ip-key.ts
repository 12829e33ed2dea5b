import { isIPv4, isIPv6 } from 'node:net';
import { invalidArgument } from '@rampart/errors';

/** Options of {@link ipKey}. */
export interface IpKeyOptions {
  /**
   * IPv6 addresses are grouped by this many leading bits, so one client cannot dodge its
   * limit by rotating through its own addresses.
   * @default `64` — the usual size of one subscriber's IPv6 network.
   */
  readonly ipv6Prefix?: number | undefined;
  /**
   * IPv4 addresses are grouped by this many leading bits.
   * @default `32` — one key per address.
   */
  readonly ipv4Prefix?: number | undefined;
}

function maskedIpv4(address: string, prefix: number): string {
  if (prefix === 32) return address;
  const octets = address.split('.').map(Number);
  const value =
    (((octets[0] ?? 0) << 24) |
      ((octets[1] ?? 0) << 16) |
      ((octets[2] ?? 0) << 8) |
      (octets[3] ?? 0)) >>>
    0;
  const masked = prefix === 0 ? 0 : (value & (0xffffffff << (32 - prefix))) >>> 0;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${prefix}`;
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const [a = 0, b = 0, c = 0, d = 0] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string | undefined): number[] =>
    part === undefined || part === ''
      ? []
      : part.split(':').map((group) => Number.parseInt(group, 16));
  const halves = text.split('::');
  const left = parse(halves[0]);
  if (halves.length === 1) return left;
  const right = parse(halves[1]);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text of eight groups: lower case, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Turns a client address into a rate-limit key: IPv4 addresses as they are (or grouped by
 * `ipv4Prefix`), IPv4-mapped IPv6 (`::ffff:203.0.113.7`) as the IPv4 address, and other
 * IPv6 addresses grouped by `ipv6Prefix` bits in canonical form (`2001:db8:1:2::/64`).
 * Brackets and a zone (`%eth0`) are dropped.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `address` is not an IP address or a prefix is out of range.
 * @example
 * ```ts
 * import { clientIp, ipKey } from '@rampart/rate-limiter';
 *
 * ipKey('::ffff:203.0.113.7'); // '203.0.113.7'
 * ipKey('2001:DB8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 * // Behind one load balancer: the client is the address it appended to X-Forwarded-For.
 * const decision = await limiter.consume(ipKey(clientIp(request, { trustProxy: 1 })));
 * ```
 */
export function ipKey(address: string, options: IpKeyOptions = {}): string {
  const ipv6Prefix = options.ipv6Prefix ?? 64;
  const ipv4Prefix = options.ipv4Prefix ?? 32;
  if (!Number.isInteger(ipv6Prefix) || ipv6Prefix < 0 || ipv6Prefix > 128) {
    throw invalidArgument('ipKey', 'ipv6Prefix', 'must be an integer from 0 to 128', ipv6Prefix);
  }
  if (!Number.isInteger(ipv4Prefix) || ipv4Prefix < 0 || ipv4Prefix > 32) {
    throw invalidArgument('ipKey', 'ipv4Prefix', 'must be an integer from 0 to 32', ipv4Prefix);
  }
  let text = typeof address === 'string' ? address.trim() : '';
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (isIPv4(text)) return maskedIpv4(text, ipv4Prefix);
  if (!isIPv6(text)) {
    throw invalidArgument('ipKey', 'address', 'must be an IPv4 or IPv6 address', address);
  }
  const groups = ipv6Groups(text);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) {
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    return maskedIpv4(`${high >>> 8}.${high & 255}.${low >>> 8}.${low & 255}`, ipv4Prefix);
  }
  const masked = groups.map((group, index) => {
    const bits = Math.min(16, Math.max(0, ipv6Prefix - index * 16));
    return bits === 0 ? 0 : group & ((0xffff << (16 - bits)) & 0xffff);
  });
  const formatted = formatIpv6(masked);
  return ipv6Prefix === 128 ? formatted : `${formatted}/${ipv6Prefix}`;
}
