import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DispatchOrder } from './dispatch-order.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** How a call's preparation ends: at once, after some microtasks, or never. */
type Preparation =
  | { readonly kind: 'sync' }
  | { readonly kind: 'async'; readonly ticks: number }
  | { readonly kind: 'never' };

const preparation: fc.Arbitrary<Preparation> = fc.oneof(
  fc.constant({ kind: 'sync' as const }),
  fc.record({ kind: fc.constant('async' as const), ticks: fc.integer({ min: 0, max: 5 }) }),
  fc.constant({ kind: 'never' as const }),
);

async function later<T>(ticks: number, value: T): Promise<T> {
  for (let step = 0; step < ticks; step += 1) await Promise.resolve();
  return value;
}

describe('DispatchOrder', () => {
  it('sends in call order, skips calls that gave up, and never waits on a hung one (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ preparation, gaps: fc.nat(2) }), { minLength: 1, maxLength: 10 }),
        async (calls) => {
          const order = new DispatchOrder();
          const sent: number[] = [];
          const controllers: AbortController[] = [];
          const results: Promise<unknown>[] = [];
          for (const [index, { preparation: how, gaps }] of calls.entries()) {
            for (let step = 0; step < gaps; step += 1) await tick();
            const controller = new AbortController();
            controllers.push(controller);
            // A hung preparation's caller gives up (its deadline), as the L2 guard does.
            if (how.kind === 'never') queueMicrotask(() => controller.abort(new Error('deadline')));
            results.push(
              order
                .run(
                  () =>
                    how.kind === 'sync'
                      ? index
                      : how.kind === 'async'
                        ? later(how.ticks, index)
                        : new Promise<number>(() => undefined),
                  async (prepared) => {
                    sent.push(prepared);
                  },
                  controller.signal,
                )
                .catch(() => undefined),
            );
          }
          for (let step = 0; step < 20; step += 1) await tick();
          const hung = new Set(
            calls.flatMap(({ preparation: how }, index) => (how.kind === 'never' ? [index] : [])),
          );
          const expected = calls.map((_, index) => index).filter((index) => !hung.has(index));
          expect(sent).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
