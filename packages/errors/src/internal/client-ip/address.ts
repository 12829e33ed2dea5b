import { isIPv6 } from 'node:net';

/** An IP address read from a socket or a forwarding header. */
export interface Address {
  /** Normalised text: dotted IPv4 (IPv4-mapped IPv6 included), else RFC 5952 IPv6. */
  readonly text: string;
  /** An IPv4 address (IPv4-mapped included) as an unsigned 32-bit number; -1 for IPv6. */
  readonly v4: number;
  /** Its 16 bytes as IPv6; an IPv4 address as IPv4-mapped (`::ffff:a.b.c.d`). */
  readonly bytes: Uint8Array;
}

const SPACE = 0x20;
const TAB = 0x09;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * A dotted-quad IPv4 address in `text` from `start` to `end` as an unsigned 32-bit number, or
 * -1: four decimal parts of 0 to 255 without leading zeros (as `net.isIPv4` accepts them),
 * read without slicing or regular expressions (the common case of every request).
 */
export function ipv4At(text: string, start: number, end: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code >= ZERO && code <= NINE) {
      if (digits > 0 && part === 0) return -1; // a leading zero
      part = part * 10 + (code - ZERO);
      digits++;
      if (part > 255) return -1;
    } else if (code === DOT) {
      if (digits === 0 || parts === 3) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || parts !== 3) return -1;
  return value * 256 + part;
}

/** The 16 bytes of an IPv4 address as IPv4-mapped IPv6. */
export function mappedBytes(v4: number): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes[12] = v4 >>> 24;
  bytes[13] = (v4 >>> 16) & 0xff;
  bytes[14] = (v4 >>> 8) & 0xff;
  bytes[15] = v4 & 0xff;
  return bytes;
}

/** An IPv4 address; its bytes are only built when a test asks for them. */
class Ipv4Address implements Address {
  readonly text: string;
  readonly v4: number;
  #bytes: Uint8Array | undefined;
  constructor(text: string, v4: number) {
    this.text = text;
    this.v4 = v4;
  }
  get bytes(): Uint8Array {
    this.#bytes ??= mappedBytes(this.v4);
    return this.#bytes;
  }
}

function ipv4Address(text: string, v4: number): Address {
  return new Ipv4Address(text, v4);
}

/** `::ffff:` in any case, the prefix of an IPv4-mapped address as sockets report it. */
function hasMappedPrefix(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 0x3a &&
    text.charCodeAt(at + 1) === 0x3a &&
    (text.charCodeAt(at + 2) | 0x20) === 0x66 &&
    (text.charCodeAt(at + 3) | 0x20) === 0x66 &&
    (text.charCodeAt(at + 4) | 0x20) === 0x66 &&
    (text.charCodeAt(at + 5) | 0x20) === 0x66 &&
    text.charCodeAt(at + 6) === 0x3a
  );
}

/**
 * {@link parseAddress} of `text` from `start` to `end`, with a fast path for a plain IPv4
 * address between optional spaces (no copy unless it is returned).
 */
export function parseAddressAt(text: string, start: number, end: number): Address | undefined {
  let from = start;
  let to = end;
  while (from < to && (text.charCodeAt(from) === SPACE || text.charCodeAt(from) === TAB)) from++;
  while (to > from && (text.charCodeAt(to - 1) === SPACE || text.charCodeAt(to - 1) === TAB)) to--;
  const v4 = ipv4At(text, from, to);
  const whole = from === 0 && to === text.length;
  if (v4 !== -1) return ipv4Address(whole ? text : text.slice(from, to), v4);
  if (to - from > 7 && hasMappedPrefix(text, from)) {
    const mapped = ipv4At(text, from + 7, to);
    if (mapped !== -1) return ipv4Address(text.slice(from + 7, to), mapped);
  }
  return parseAddress(whole ? text : text.slice(from, to));
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
  const v4 = ipv4At(text, 0, text.length);
  if (v4 !== -1) return ipv4Address(text, v4);
  if (!isIPv6(text)) return undefined;
  const bytes = ipv6Bytes(text);
  if (isMapped(bytes)) {
    const mapped =
      (((bytes[12] as number) << 24) |
        ((bytes[13] as number) << 16) |
        ((bytes[14] as number) << 8) |
        (bytes[15] as number)) >>>
      0;
    return ipv4Address(`${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`, mapped);
  }
  return { text: formatIpv6(bytes), v4: -1, bytes };
}
