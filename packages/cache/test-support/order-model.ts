/**
 * A model of program order for the operations on one cache key, shared by the property tests
 * that call them in one tick (in memory and on a real Redis): what each call returns and what
 * the key holds afterwards.
 */
import fc from 'fast-check';
import type { Cache } from '../src/cache.ts';

export const TAG = 'team';

export type Operation =
  | { readonly kind: 'set'; readonly value: string; readonly tagged: boolean }
  | { readonly kind: 'getOrSet'; readonly tagged: boolean }
  | { readonly kind: 'delete' | 'deleteMany' | 'clear' | 'deleteByTag' | 'get' | 'has' };

export const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    value: fc.string({ maxLength: 3 }),
    tagged: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('getOrSet' as const), tagged: fc.boolean() }),
  fc.record({
    kind: fc.constantFrom(
      'delete' as const,
      'deleteMany' as const,
      'clear' as const,
      'deleteByTag' as const,
      'get' as const,
      'has' as const,
    ),
  }),
);

/** What the key holds in the model: a value, whether it is tagged, and whether a load wrote it. */
export interface Held {
  readonly value: string;
  readonly tagged: boolean;
  /** Written by a `getOrSet` of this batch, whose write lands only when its factory returns. */
  readonly loading: boolean;
}

/** Issues one operation without awaiting it; resolves with what the caller got. */
export function issue(cache: Cache, key: string, op: Operation, index: number): Promise<unknown> {
  const tags = (tagged: boolean) => (tagged ? { tags: [TAG] } : {});
  switch (op.kind) {
    case 'set':
      return cache.set(key, op.value, tags(op.tagged));
    case 'getOrSet':
      return cache.getOrSet(key, async () => `load${index}`, tags(op.tagged));
    case 'delete':
      return cache.delete(key);
    case 'deleteMany':
      return cache.deleteMany([key, `${key}-other`]);
    case 'clear':
      return cache.clear();
    case 'deleteByTag':
      return cache.deleteByTag(TAG);
    case 'get':
      return cache.get(key);
    case 'has':
      return cache.has(key);
  }
}

/**
 * Applies `op` to the model in program order. Returns the results the caller may get: one,
 * or (a read while a load of this batch is still running) nothing yet or the load's value.
 */
export function apply(
  held: Held | undefined,
  op: Operation,
  index: number,
): { held: Held | undefined; results: unknown[] } {
  switch (op.kind) {
    case 'set':
      return { held: { value: op.value, tagged: op.tagged, loading: false }, results: [undefined] };
    case 'getOrSet':
      if (held !== undefined) return { held, results: [held.value] };
      return {
        held: { value: `load${index}`, tagged: op.tagged, loading: true },
        results: [`load${index}`],
      };
    case 'delete':
    case 'deleteMany':
    case 'clear':
      return { held: undefined, results: [undefined] };
    case 'deleteByTag':
      return { held: held?.tagged === true ? undefined : held, results: [undefined] };
    case 'get':
      // A load starts only when the key held nothing.
      if (held?.loading === true) return { held, results: [undefined, held.value] };
      return { held, results: [held?.value] };
    case 'has':
      if (held?.loading === true) return { held, results: [false, true] };
      return { held, results: [held !== undefined] };
  }
}

/**
 * What each of `ops`, called in one tick, may return, and what the key holds once they are
 * done. A read runs alongside the writes called after it: it sees every write called before
 * it, and may see a later one (never an older value).
 */
export function plan(
  initial: Held | undefined,
  ops: readonly Operation[],
): { results: unknown[][]; held: Held | undefined } {
  let held = initial;
  const results: unknown[][] = [];
  for (const [index, op] of ops.entries()) {
    const next = apply(held, op, index);
    results.push(next.results);
    held = next.held;
    for (const [earlier, previous] of ops.entries()) {
      if (earlier >= index || (previous.kind !== 'get' && previous.kind !== 'has')) continue;
      results[earlier]?.push(...apply(held, previous, earlier).results);
    }
  }
  return { results, held };
}
