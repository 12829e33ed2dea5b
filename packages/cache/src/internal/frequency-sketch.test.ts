import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrequencySketch, hashKey } from './frequency-sketch.ts';

describe('FrequencySketch', () => {
  it('estimates at least the true count of a key, up to 15', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { maxLength: 120 }), (keys) => {
        const sketch = new FrequencySketch(1024);
        sketch.ensureCapacity(1024);
        const counts = new Map<number, number>();
        for (const key of keys) {
          sketch.increment(hashKey(`k${key}`, 1));
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        for (const [key, count] of counts) {
          const estimate = sketch.frequency(hashKey(`k${key}`, 1));
          expect(estimate).toBeGreaterThanOrEqual(Math.min(15, count));
          expect(estimate).toBeLessThanOrEqual(15);
        }
      }),
    );
  });

  it('halves every count after a sample of 10 × width increments', () => {
    const sketch = new FrequencySketch(16);
    const hot = hashKey('hot', 1);
    for (let index = 0; index < 8; index += 1) sketch.increment(hot);
    let previous = sketch.frequency(hot);
    expect(previous).toBeGreaterThanOrEqual(8);
    let increments = 8;
    for (let index = 0; index < 1000; index += 1) {
      sketch.increment(hashKey(`other:${index}`, 1));
      increments += 1;
      const current = sketch.frequency(hot);
      if (current < previous) {
        expect(current).toBe(previous >>> 1);
        expect(increments).toBeLessThanOrEqual(10 * 16);
        return;
      }
      previous = current;
    }
    expect.unreachable('the counts were never halved');
  });

  it('starts small and grows with the entries, up to the bound', () => {
    const sketch = new FrequencySketch(100_000);
    expect(sketch.width).toBe(16);
    sketch.ensureCapacity(1000);
    expect(sketch.width).toBe(1024);
    sketch.ensureCapacity(10_000_000);
    expect(sketch.width).toBe(131_072);
  });

  it('hashes differently under different seeds', () => {
    expect(hashKey('user:1', 1)).not.toBe(hashKey('user:1', 2));
    expect(hashKey('user:1', 1)).toBe(hashKey('user:1', 1));
  });
});
