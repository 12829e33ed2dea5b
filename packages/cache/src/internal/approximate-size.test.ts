import { describe, expect, it } from 'vitest';
import { approximateSize } from './approximate-size.ts';

describe('approximateSize', () => {
  it('grows with string length and with the number of properties', () => {
    expect(approximateSize('a'.repeat(1000))).toBeGreaterThan(approximateSize('a'.repeat(10)));
    expect(approximateSize({ a: 1, b: 2, c: 3 })).toBeGreaterThan(approximateSize({ a: 1 }));
    expect(approximateSize([1, 2, 3, 4])).toBeGreaterThan(approximateSize([1]));
  });

  it('counts typed arrays, maps, sets and dates', () => {
    expect(approximateSize(new Uint8Array(4096))).toBeGreaterThanOrEqual(4096);
    expect(approximateSize(new Map([['k', 'v'.repeat(100)]]))).toBeGreaterThan(200);
    expect(approximateSize(new Set(['a', 'b']))).toBeGreaterThan(approximateSize(new Set()));
    expect(approximateSize(new Date())).toBeGreaterThan(0);
  });

  it('ends on cycles and counts shared references once', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(Number.isFinite(approximateSize(cyclic))).toBe(true);
    const shared = { text: 'y'.repeat(1000) };
    expect(approximateSize([shared, shared])).toBeLessThan(
      approximateSize([shared, { ...shared }]),
    );
  });

  it('falls back to a fixed estimate for values that throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    expect(approximateSize(hostile)).toBe(1024);
  });
});
