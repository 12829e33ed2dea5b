import type { RampartError } from '@rampart/errors';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type InstrumentOpossumOptions,
  instrumentOpossum,
  type OpossumBreakerLike,
  toRampartError,
} from './opossum.ts';

describe('@rampart/circuit-breaker/opossum types', () => {
  it('instrumentOpossum takes a breaker and options and returns a disposer', () => {
    expectTypeOf(instrumentOpossum).parameter(0).toEqualTypeOf<OpossumBreakerLike>();
    expectTypeOf(instrumentOpossum)
      .parameter(1)
      .toEqualTypeOf<InstrumentOpossumOptions | undefined>();
    expectTypeOf(instrumentOpossum).returns.toEqualTypeOf<() => void>();
  });

  it('toRampartError keeps the type of what it does not map', () => {
    const error = new TypeError('x');
    expectTypeOf(toRampartError(error)).toEqualTypeOf<TypeError | RampartError>();
    expectTypeOf(toRampartError('text')).toEqualTypeOf<string | RampartError>();
  });
});
