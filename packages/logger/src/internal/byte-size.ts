const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `10m`, `512k`, `1.5g`, `10MB`, `2048` (bytes), case-insensitive, binary units. */
export const BYTE_SIZE_PATTERN: RegExp = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i;

/** Bytes in a size like `10m`; `undefined` when it is not one or is below one byte. */
export function parseByteSize(size: string | number): number | undefined {
  if (typeof size === 'number') {
    return Number.isSafeInteger(size) && size >= 1 ? size : undefined;
  }
  const match = BYTE_SIZE_PATTERN.exec(size.trim());
  if (match === null) return undefined;
  const [, amount = '', unit = ''] = match;
  const bytes = Math.floor(Number(amount) * (UNITS[unit.toLowerCase()] ?? 1));
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}
