/**
 * What the Redis store keeps under a data key:
 * - a record, `<expiresAt>:<id>\n<record>`: `expiresAt` in Redis's clock (ms), `id` the
 *   write's identity for fencing (empty for a value loaded when the key held nothing);
 *   `<expiresAt>\n<record>` (no id) from earlier versions reads as an empty id;
 * - a tombstone, `~<id>`, left by a delete for `tombstoneTtlMs` so a load that started
 *   before it cannot write its older value afterwards.
 */
export type StoredValue =
  | {
      readonly kind: 'record';
      readonly expiresAt: number;
      readonly id: string;
      readonly data: string;
    }
  | { readonly kind: 'tombstone'; readonly id: string };

/** Reads a stored value; `undefined` when it is neither shape (another writer's value). */
export function parseStored(stored: string): StoredValue | undefined {
  if (stored.startsWith('~')) return { kind: 'tombstone', id: stored.slice(1) };
  const newline = stored.indexOf('\n');
  if (newline <= 0) return undefined;
  const head = stored.slice(0, newline);
  const colon = head.indexOf(':');
  const expiresAt = Number(colon < 0 ? head : head.slice(0, colon));
  if (!Number.isFinite(expiresAt)) return undefined;
  return {
    kind: 'record',
    expiresAt,
    id: colon < 0 ? '' : head.slice(colon + 1),
    data: stored.slice(newline + 1),
  };
}

/** A fence: the generation the key was read in, its write id, and when (Redis ms). */
export interface Fence {
  readonly generation: string;
  readonly id: string;
  readonly readAt: number;
}

/** Encodes a {@link Fence} as the opaque string the cache carries. */
export function encodeFence(fence: Fence): string {
  return `${fence.generation}|${fence.id}|${Math.floor(fence.readAt)}`;
}

/** Decodes a fence made by {@link encodeFence}; `undefined` for anything else. */
export function decodeFence(fence: string): Fence | undefined {
  const [generation, id, readAt] = fence.split('|');
  if (generation === undefined || id === undefined || readAt === undefined) return undefined;
  const at = Number(readAt);
  if (generation === '' || !Number.isFinite(at)) return undefined;
  return { generation, id, readAt: at };
}
