import { isIPv4, isIPv6 } from 'node:net';

/** An IP address read from a socket or a forwarding header. */
export interface Address {
  /** Normalised text: dotted IPv4 (IPv4-mapped IPv6 included), else RFC 5952 IPv6. */
  readonly text: string;
  /** Its 16 bytes as IPv6; an IPv4 address as IPv4-mapped (`::ffff:a.b.c.d`). */
  readonly bytes: Uint8Array;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function ipv4Bytes(text: string, into: Uint8Array, at: number): void {
  const parts = text.split('.');
  for (let index = 0; index < 4; index++) into[at + index] = Number(parts[index]);
}

/** The 16 bytes of a valid IPv6 address without brackets or zone. */
function ipv6Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  let body = text;
  let tail: string | undefined;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    tail = body.slice(lastColon + 1);
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  const groupsOf = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const left = groupsOf(halves[0]);
  const right = groupsOf(halves[1]);
  const groups =
    halves.length === 1
      ? left
      : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  for (let index = 0; index < 8; index++) {
    const group = groups[index] ?? 0;
    bytes[index * 2] = group >>> 8;
    bytes[index * 2 + 1] = group & 0xff;
  }
  if (tail !== undefined) ipv4Bytes(tail, bytes, 12);
  return bytes;
}

function isMapped(bytes: Uint8Array): boolean {
  for (let index = 0; index < 12; index++) if (bytes[index] !== MAPPED_PREFIX[index]) return false;
  return true;
}

/** RFC 5952 text: lower case, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let index = 0; index < 8; index++) {
    groups.push(((bytes[index * 2] as number) << 8) | (bytes[index * 2 + 1] as number));
  }
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

/** Whether `text` is `:` and a port number (0 to 65535). */
function isPortSuffix(text: string): boolean {
  return /^:\d{1,5}$/.test(text) && Number(text.slice(1)) <= 65_535;
}

/** Drops what may surround an address in a header: quotes, brackets, a port, a zone. */
function bareAddress(raw: string): string {
  let text = raw.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return '';
    const rest = text.slice(close + 1);
    // `[v6]` or `[v6]:port`: anything else after the bracket is not an address.
    if (rest !== '' && !isPortSuffix(rest)) return '';
    text = text.slice(1, close);
  } else {
    const colon = text.indexOf(':');
    // `a.b.c.d:port` (one colon, dotted before it); more colons mean IPv6 without brackets.
    if (colon !== -1 && colon === text.lastIndexOf(':') && isPortSuffix(text.slice(colon))) {
      text = text.slice(0, colon);
    }
  }
  const zone = text.indexOf('%');
  return zone === -1 ? text : text.slice(0, zone);
}

/**
 * Reads an address as a socket or a proxy writes it (`203.0.113.7`, `203.0.113.7:4711`,
 * `[2001:db8::1]:443`, `"[2001:db8::1]"`, `fe80::1%eth0`, `::ffff:10.0.0.1`); `undefined`
 * for anything else (`unknown`, an obfuscated `_node` identifier, a host name, garbage).
 */
export function parseAddress(raw: string): Address | undefined {
  if (raw.length > 128) return undefined;
  const text = bareAddress(raw);
  if (isIPv4(text)) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    ipv4Bytes(text, bytes, 12);
    return { text: `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`, bytes };
  }
  if (!isIPv6(text)) return undefined;
  const bytes = ipv6Bytes(text);
  if (isMapped(bytes))
    return { text: `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`, bytes };
  return { text: formatIpv6(bytes), bytes };
}
