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
  const tags: Record<string, string> = {};
  for (const [tag, version] of Object.entries(value)) {
    if (typeof version !== 'string') return false;
    tags[tag] = version;
  }
  return tags;
}

/** Reads a record written by {@link encodeRecord}; `undefined` when it is not one. */
export function decodeRecord(data: string): DecodedRecord | undefined {
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
