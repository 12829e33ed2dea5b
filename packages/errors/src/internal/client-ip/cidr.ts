import { isIPv4, isIPv6 } from 'node:net';
import { parseAddress } from './address.ts';

/** A network: an address's first `bits` bits, in the 16-byte (IPv4-mapped) form. */
export interface Network {
  readonly bytes: Uint8Array;
  readonly bits: number;
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
  return [{ bytes: address.bytes, bits: ipv4 ? bits + 96 : bits }];
}

/** Whether `address` lies in `network`. */
export function contains(network: Network, address: Uint8Array): boolean {
  const whole = network.bits >>> 3;
  for (let index = 0; index < whole; index++) {
    if (network.bytes[index] !== address[index]) return false;
  }
  const rest = network.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((network.bytes[whole] as number) & mask) === ((address[whole] as number) & mask);
}
