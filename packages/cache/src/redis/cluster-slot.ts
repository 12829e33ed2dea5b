/**
 * Redis Cluster hash slots, computed here so multi-key commands can be grouped by slot
 * (ioredis routes a command by its first key and does not split it): CRC16-XMODEM of the
 * key's hash tag (the part between the first `{` and the next `}`, when not empty) or of the
 * whole key, modulo 16384.
 */
export const SLOT_COUNT = 16_384;

const TABLE = new Uint16Array(256);
for (let byte = 0; byte < 256; byte += 1) {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit += 1) {
    crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  TABLE[byte] = crc;
}

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let index = start; index < end; index += 1) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (bytes[index] ?? 0)) & 0xff] ?? 0);
  }
  return crc;
}

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

/** The Cluster slot of `key`. */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(OPEN);
  if (open >= 0) {
    const close = bytes.indexOf(CLOSE, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) % SLOT_COUNT;
  }
  return crc16(bytes, 0, bytes.length) % SLOT_COUNT;
}

/**
 * The indexes of `keys` grouped so each group can share one command: by Cluster slot on a
 * Cluster, else in chunks of `chunkSize`.
 */
export function groupKeys(
  keys: readonly string[],
  cluster: boolean,
  chunkSize: number,
): number[][] {
  const groups: number[][] = [];
  if (!cluster) {
    for (let start = 0; start < keys.length; start += chunkSize) {
      groups.push(
        Array.from(
          { length: Math.min(chunkSize, keys.length - start) },
          (_, offset) => start + offset,
        ),
      );
    }
    return groups;
  }
  const bySlot = new Map<number, number[]>();
  for (const [index, key] of keys.entries()) {
    const slot = keySlot(key);
    let group = bySlot.get(slot);
    if (group === undefined) {
      group = [];
      bySlot.set(slot, group);
    }
    group.push(index);
    if (group.length >= chunkSize) {
      groups.push(group);
      bySlot.delete(slot);
    }
  }
  groups.push(...bySlot.values());
  return groups;
}
