/**
 * The format of a value in L2: a header line with the record's metadata as JSON, then the
 * serializer's output. The header lets L2 hold what L1 needs to rebuild an entry exactly
 * (its grace and creation time) and leaves room for more metadata (tags, epochs) without a
 * format change: unknown fields are ignored, and a record with an unknown version reads as a
 * miss, so old and new deployments can share one Redis.
 */
const VERSION = 'c1';

/** Metadata stored with a value in L2. */
export interface RecordMeta {
  /** The grace period in milliseconds: the record's TTL in L2 is its fresh TTL plus this. */
  readonly graceMs: number;
  /** When the value was produced, by the writer's clock. */
  readonly createdAt: number;
}

/** A decoded L2 record: its metadata and the serializer's output. */
export interface DecodedRecord extends RecordMeta {
  readonly payload: string;
}

/** Builds the string stored in L2. */
export function encodeRecord(payload: string, meta: RecordMeta): string {
  return `${VERSION}{"g":${meta.graceMs},"c":${meta.createdAt}}\n${payload}`;
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
  const { g: graceMs, c: createdAt } = header as { g?: unknown; c?: unknown };
  if (typeof graceMs !== 'number' || !(graceMs >= 0) || typeof createdAt !== 'number') {
    return undefined;
  }
  return { graceMs, createdAt, payload: data.slice(newline + 1) };
}
