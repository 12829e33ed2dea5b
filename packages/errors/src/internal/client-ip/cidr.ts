import { isIPv4, isIPv6 } from 'node:net';
import { type Address, parseAddress } from './address.ts';

/** A network: an address's first `bits` bits, in the 16-byte (IPv4-mapped) form. */
export interface Network {
  readonly bytes: Uint8Array;
  readonly bits: number;
  /** For a network inside the IPv4-mapped range: its address and mask as 32-bit numbers. */
  readonly v4: { readonly value: number; readonly mask: number } | undefined;
}

/** Names for the usual private ranges, as Express's `trust proxy` setting knows them. */
const PRESETS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * The networks of one entry of a `trustProxy` list: a preset name, an address or a CIDR
 * (`10.0.0.0/8`, `2001:db8::/32`); `undefined` when it is none of these.
 */
export function parseNetworks(entry: string): Network[] | undefined {
  const preset = PRESETS[entry];
  if (preset !== undefined) return preset.map((cidr) => parseNetworks(cidr)?.[0] as Network);
  const slash = entry.indexOf('/');
  const text = slash === -1 ? entry : entry.slice(0, slash);
  const ipv4 = isIPv4(text);
  // Plain addresses only: no brackets, port or zone in a network.
  if (!ipv4 && !isIPv6(text)) return undefined;
  const address = parseAddress(text);
  if (address === undefined) return undefined;
  const maximum = ipv4 ? 32 : 128;
  let bits = maximum;
  if (slash !== -1) {
    const length = entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(length)) return undefined;
    bits = Number(length);
    if (bits > maximum) return undefined;
  }
  const total = ipv4 ? bits + 96 : bits;
  let v4: Network['v4'];
  if (total >= 96 && address.v4 !== -1) {
    const mask = total === 96 ? 0 : (0xffffffff << (128 - total)) >>> 0;
    v4 = { value: (address.v4 & mask) >>> 0, mask };
  }
  return [{ bytes: address.bytes, bits: total, v4 }];
}

/** Whether `address` lies in `network`. */
export function contains(network: Network, address: Address): boolean {
  if (address.v4 !== -1) {
    if (network.v4 !== undefined) return (address.v4 & network.v4.mask) >>> 0 === network.v4.value;
    if (network.bits > 96) return false;
  } else if (network.v4 !== undefined) {
    return false;
  }
  return bytesMatch(network, address.bytes);
}

function bytesMatch(network: Network, address: Uint8Array): boolean {
  const whole = network.bits >>> 3;
  for (let index = 0; index < whole; index++) {
    if (network.bytes[index] !== address[index]) return false;
  }
  const rest = network.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((network.bytes[whole] as number) & mask) === ((address[whole] as number) & mask);
}
