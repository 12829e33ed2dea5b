import { InternalError, ValidationError } from '@rampart/errors';
import type { L2Record } from '../l2-store.ts';
import type { CacheSerializer } from '../serializer.ts';
import { type CacheEntry, createEntry, type TagStamp } from './entry.ts';
import { decodeRecord, encodeRecord } from './record.ts';

/** A value ready to be written: the L1 entry and, with an L2, the record and its TTL. */
export interface PreparedWrite {
  readonly entry: CacheEntry;
  readonly record: string | undefined;
  readonly l2TtlMs: number;
}

/** What a write records besides the value. */
export interface WriteExtras {
  readonly tags?: TagStamp | undefined;
  readonly loadMs?: number;
}

/** A value after the serializer round trip: what every tier holds, and its L2 payload. */
export interface EncodedValue {
  readonly stored: unknown;
  /** `undefined` without an L2. */
  readonly payload: string | undefined;
}

/** Settings of the codec. */
export interface RecordCodecOptions {
  readonly serializer: CacheSerializer;
  readonly jitter: number;
  readonly defaultTtlMs: number;
  /** Whether values go to an L2 (then they round-trip through the serializer). */
  readonly encodes: boolean;
}

/**
 * Turns values into entries and L2 records and back: the serializer round trip that gives
 * every tier the same value, TTL jitter, and the remaining TTL of a value read from L2.
 */
export class RecordCodec {
  readonly #options: RecordCodecOptions;

  constructor(options: RecordCodecOptions) {
    this.#options = options;
  }

  /**
   * Builds what a write stores: with an L2, the value goes through the serializer and L1
   * keeps the decoded copy, so every tier and every caller sees the same value.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when the serializer cannot encode or decode the value.
   */
  prepare(
    value: unknown,
    ttlMs: number,
    graceMs: number,
    now: number,
    where: string,
    extras: WriteExtras = {},
  ): PreparedWrite {
    return this.build(this.encode(value, where), ttlMs, graceMs, now, extras);
  }

  /**
   * The serializer round trip of {@link RecordCodec.prepare} on its own: the value every tier
   * will hold (`stored`) and its payload for L2.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when the serializer cannot encode or decode the value.
   */
  encode(value: unknown, where: string): EncodedValue {
    if (!this.#options.encodes) return { stored: value, payload: undefined };
    const { serializer } = this.#options;
    try {
      const payload = serializer.serialize(value);
      if (typeof payload !== 'string')
        throw new TypeError('the serializer did not return a string');
      return { stored: serializer.deserialize(payload), payload };
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'the serializer failed';
      const message = `must be serializable by the cache's serializer (${reason})`;
      throw new ValidationError(`${where}: \`value\` ${message}`, {
        cause,
        issues: [{ path: 'value', message, code: 'invalid_argument' }],
        captureStack: false,
      });
    }
  }

  /** Builds what a write stores from a value {@link RecordCodec.encode} already encoded. */
  build(
    encoded: EncodedValue,
    ttlMs: number,
    graceMs: number,
    now: number,
    extras: WriteExtras = {},
  ): PreparedWrite {
    const { jitter } = this.#options;
    const ttl = jitter > 0 ? Math.max(1, Math.round(ttlMs * (1 - jitter * Math.random()))) : ttlMs;
    const { payload, stored } = encoded;
    if (payload === undefined) {
      return {
        entry: createEntry(stored, now, ttl, graceMs, extras),
        record: undefined,
        l2TtlMs: 0,
      };
    }
    return {
      entry: createEntry(stored, now, ttl, graceMs, extras),
      record: encodeRecord(payload, {
        graceMs,
        createdAt: now,
        tags: extras.tags,
        loadMs: extras.loadMs ?? 0,
      }),
      l2TtlMs: ttl + graceMs,
    };
  }

  /**
   * Rebuilds the entry of a record read from L2, with its remaining TTL; `undefined` when it
   * has expired.
   * @throws {@link @rampart/errors!InternalError | InternalError} when the record cannot be decoded.
   */
  decode(key: string, found: L2Record, now: number): CacheEntry | undefined {
    const { serializer, defaultTtlMs } = this.#options;
    const record = typeof found.data === 'string' ? decodeRecord(found.data) : undefined;
    let value: unknown;
    try {
      if (record === undefined) throw new Error('not a record written by @rampart/cache');
      value = serializer.deserialize(record.payload);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'the serializer failed';
      throw new InternalError(`L2 record for "${key}" cannot be decoded: ${reason}`, {
        cause,
        captureStack: false,
      });
    }
    const remainingMs =
      typeof found.ttlMs === 'number' && found.ttlMs >= 0
        ? found.ttlMs
        : record.graceMs + defaultTtlMs;
    if (remainingMs <= 0) return undefined;
    return createEntry(value, now, remainingMs - record.graceMs, record.graceMs, {
      createdAt: record.createdAt,
      tags: record.tags,
      loadMs: record.loadMs ?? 0,
    });
  }
}
