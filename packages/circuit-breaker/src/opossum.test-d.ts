import { EventEmitter } from 'node:events';
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

  it("accepts any EventEmitter with opossum's state flags, as typings describe a breaker", () => {
    class TypedBreaker extends EventEmitter {
      readonly name: string = 'typed';
      readonly opened: boolean = false;
      readonly halfOpen: boolean = false;
      readonly closed: boolean = true;
      readonly pendingClose: boolean = false;
      fire(..._args: string[]): Promise<number[]> {
        return Promise.resolve([]);
      }
    }
    expectTypeOf<TypedBreaker>().toExtend<OpossumBreakerLike>();
  });

  it('toRampartError keeps the type of what it does not map', () => {
    const error = new TypeError('x');
    expectTypeOf(toRampartError(error)).toEqualTypeOf<TypeError | RampartError>();
    expectTypeOf(toRampartError('text')).toEqualTypeOf<string | RampartError>();
  });
});
