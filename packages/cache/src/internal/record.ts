import type { TagStamp } from './entry.ts';

/**
 * The format of a value in L2: a header line with the record's metadata as JSON, then the
 * serializer's output. The header lets L2 hold what L1 needs to rebuild an entry exactly
 * (its grace, creation time, tag versions and load duration) and leaves room for more
 * metadata without a format change: unknown fields are ignored, and a record with an
 * unknown version reads as a miss, so old and new deployments can share one Redis.
 */
const VERSION = 'c1';

/** Metadata stored with a value in L2. */
export interface RecordMeta {
  /** The grace period in milliseconds: the record's TTL in L2 is its fresh TTL plus this. */
  readonly graceMs: number;
  /** When the value was produced, by the writer's clock. */
  readonly createdAt: number;
  /** The value's tag versions when its load started, if it has tags. */
  readonly tags?: TagStamp | undefined;
  /** How long the factory ran, in milliseconds (for early refresh); 0 or absent when unknown. */
  readonly loadMs?: number;
}

/** A decoded L2 record: its metadata and the serializer's output. */
export interface DecodedRecord extends RecordMeta {
  readonly payload: string;
}

/** Builds the string stored in L2. */
export function encodeRecord(payload: string, meta: RecordMeta): string {
  let header = `{"g":${meta.graceMs},"c":${meta.createdAt}`;
  if (meta.tags !== undefined) header += `,"t":${JSON.stringify(meta.tags)}`;
  if (meta.loadMs !== undefined && meta.loadMs > 0) header += `,"d":${Math.round(meta.loadMs)}`;
  return `${VERSION}${header}}\n${payload}`;
}

function readTags(value: unknown): TagStamp | undefined | false {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // The object is JSON.parse's own: returned as is, so a tag named `__proto__` stays a tag.
  for (const version of Object.values(value)) {
    if (typeof version !== 'string') return false;
  }
  return value as TagStamp;
}

/** The header of a record without tags, as {@link encodeRecord} writes it, up to the grace. */
const COMPACT_HEAD = `${VERSION}{"g":`;
const CHAR_0 = 48;
const CHAR_9 = 57;
/** Digits of the longest integer read by the fast path: every such integer is exact. */
const MAX_DIGITS = 15;

/**
 * Where the JSON integer starting at `start` ends (the index after its last digit), or -1
 * when there is none the fast path reads exactly: no digit, a leading zero, too many digits.
 */
function integerEnd(data: string, start: number): number {
  let at = start;
  while (at < data.length) {
    const code = data.charCodeAt(at);
    if (code < CHAR_0 || code > CHAR_9) break;
    at += 1;
  }
  const digits = at - start;
  if (digits === 0 || digits > MAX_DIGITS) return -1;
  if (digits > 1 && data.charCodeAt(start) === CHAR_0) return -1;
  return at;
}

/** The value of the digits between `start` and `end` (found by {@link integerEnd}). */
function integerValue(data: string, start: number, end: number): number {
  let value = 0;
  for (let at = start; at < end; at += 1) value = value * 10 + (data.charCodeAt(at) - CHAR_0);
  return value;
}

/**
 * The common header, `{"g":<int>,"c":<int>}` or `{"g":<int>,"c":<int>,"d":<int>}`, read
 * without `JSON.parse` or intermediate strings; `undefined` for any other header (tags,
 * fractions, another writer's spacing…), which {@link decodeRecord} then reads as JSON. It
 * accepts only headers JSON reads to the same fields, so both paths agree on every input.
 */
function decodeCompact(data: string): DecodedRecord | undefined {
  if (!data.startsWith(COMPACT_HEAD)) return undefined;
  const graceStart = COMPACT_HEAD.length;
  const graceEnd = integerEnd(data, graceStart);
  if (graceEnd < 0 || !data.startsWith(',"c":', graceEnd)) return undefined;
  const createdStart = graceEnd + 5;
  const createdEnd = integerEnd(data, createdStart);
  if (createdEnd < 0) return undefined;
  let loadMs = 0;
  let close = createdEnd;
  if (data.startsWith(',"d":', createdEnd)) {
    const loadStart = createdEnd + 5;
    close = integerEnd(data, loadStart);
    if (close < 0) return undefined;
    loadMs = integerValue(data, loadStart, close);
  }
  if (!data.startsWith('}\n', close)) return undefined;
  return {
    graceMs: integerValue(data, graceStart, graceEnd),
    createdAt: integerValue(data, createdStart, createdEnd),
    tags: undefined,
    loadMs,
    payload: data.slice(close + 2),
  };
}

/** Reads a record written by {@link encodeRecord}; `undefined` when it is not one. */
export function decodeRecord(data: string): DecodedRecord | undefined {
  return decodeCompact(data) ?? decodeJsonHeader(data);
}

/** {@link decodeRecord} of any header: parsed as JSON, fields checked. */
export function decodeJsonHeader(data: string): DecodedRecord | undefined {
  if (!data.startsWith(VERSION)) return undefined;
  const newline = data.indexOf('\n');
  if (newline < 0) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(data.slice(VERSION.length, newline));
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null) return undefined;
  const {
    g: graceMs,
    c: createdAt,
    t,
    d,
  } = header as {
    g?: unknown;
    c?: unknown;
    t?: unknown;
    d?: unknown;
  };
  if (typeof graceMs !== 'number' || !(graceMs >= 0) || typeof createdAt !== 'number') {
    return undefined;
  }
  const tags = readTags(t);
  if (tags === false) return undefined;
  const loadMs = typeof d === 'number' && d > 0 ? d : 0;
  return { graceMs, createdAt, tags, loadMs, payload: data.slice(newline + 1) };
}
