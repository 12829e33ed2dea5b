import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgeQueue } from './age-queue.ts';

describe('createAgeQueue', () => {
  it('always hands back the oldest live entry, whatever was inserted, renewed, deleted or cleared', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('evict' as const) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
        // The map under test holds a ticket per key; the model is the keys in age order.
        const map = new Map<number, number>();
        let tickets = 0;
        const queue = createAgeQueue<{ key: number; ticket: number }>(
          ({ key, ticket }) => map.get(key) === ticket,
          () => map.size,
        );
        let model: number[] = [];
        for (const step of operations) {
          if (step.kind === 'set') {
            const ticket = ++tickets;
            map.set(step.key, ticket);
            queue.push({ key: step.key, ticket });
            model = [...model.filter((key) => key !== step.key), step.key];
          } else if (step.kind === 'delete') {
            map.delete(step.key);
            model = model.filter((key) => key !== step.key);
          } else if (step.kind === 'clear') {
            // The map is cleared, and its queue with it; later keys are queued afresh.
            map.clear();
            queue.clear();
            model = [];
          } else {
            const oldest = queue.shiftLive();
            expect(oldest?.key).toBe(model[0]);
            if (oldest !== undefined) {
              map.delete(oldest.key);
              model = model.slice(1);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays small when entries are renewed over and over', () => {
    const map = new Map<string, number>([['a', 0]]);
    let queued = 0;
    const queue = createAgeQueue<{ key: string; ticket: number }>(
      ({ key, ticket }) => map.get(key) === ticket,
      () => map.size,
    );
    for (let ticket = 1; ticket <= 100_000; ticket++) {
      map.set('a', ticket);
      queue.push({ key: 'a', ticket });
    }
    while (queue.shiftLive() !== undefined) queued++;
    expect(queued).toBe(1);
  });
});

describe('createAgeQueue memory', () => {
  it('holds about as many slots as live entries when a full map evicts one entry per insertion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 10, max: 60 }),
        (maxKeys, turnover) => {
          // A bounded map under churn: every new key evicts the oldest once the map is full.
          const map = new Map<number, number>();
          const queue = createAgeQueue<number>(
            (key) => map.has(key),
            () => map.size,
          );
          let largest = 0;
          for (let key = 0; key < maxKeys * turnover; key++) {
            if (map.size >= maxKeys) {
              const oldest = queue.shiftLive();
              if (oldest !== undefined) map.delete(oldest);
            }
            map.set(key, key);
            queue.push(key);
            largest = Math.max(largest, queue.capacity);
          }
          expect(map.size).toBe(maxKeys);
          // Live entries, plus the compaction slack and the shifted prefix not yet released.
          expect(largest).toBeLessThanOrEqual(4 * maxKeys + 4 * 1_024);
        },
      ),
      { numRuns: 30 },
    );
  });
});
