import { describe, expectTypeOf, it } from 'vitest';
import {
  type CircuitBreaker,
  type CircuitBreakerSnapshot,
  type CircuitCapacityError,
  type CircuitControl,
  type CircuitState,
  createCircuitBreaker,
  createCircuitBreakerRegistry,
} from './index.ts';

interface User {
  readonly id: string;
}

declare function fetchUser(id: string, signal: AbortSignal): Promise<User>;

describe('types', () => {
  it('infers the arguments and the result from the guarded function, without the signal', () => {
    const breaker = createCircuitBreaker(fetchUser, { name: 'users' });
    expectTypeOf(breaker).toEqualTypeOf<CircuitBreaker<[id: string], User>>();
    expectTypeOf(breaker.execute).parameters.toEqualTypeOf<[id: string]>();
    expectTypeOf(breaker.execute('42')).toEqualTypeOf<Promise<User>>();
    expectTypeOf(breaker.state).toEqualTypeOf<CircuitState>();
    expectTypeOf(breaker.toJSON()).toEqualTypeOf<CircuitBreakerSnapshot>();
  });

  it('accepts functions that take only the signal, or nothing, and synchronous results', () => {
    const noArguments = createCircuitBreaker(() => 42, { name: 'answer' });
    expectTypeOf(noArguments.execute()).toEqualTypeOf<Promise<number>>();
    const signalOnly = createCircuitBreaker(async (_signal: AbortSignal) => 'ok', { name: 'ok' });
    expectTypeOf(signalOnly.execute).parameters.toEqualTypeOf<[]>();
  });

  it('refuses a function whose last parameter cannot take the signal', () => {
    // The signal would land in `options`: TypeScript must catch it.
    // @ts-expect-error a trailing optional parameter that is not an AbortSignal
    createCircuitBreaker((id: string, options?: { retries: number }) => id + String(options), {
      name: 'x',
    });
  });

  it('types the fallback with the arguments and the result', () => {
    createCircuitBreaker(fetchUser, {
      name: 'users',
      fallback: ({ args, signal, error }) => {
        expectTypeOf(args).toEqualTypeOf<[id: string]>();
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
        expectTypeOf(error).toBeUnknown();
        return { id: args[0] };
      },
    });
    createCircuitBreaker(fetchUser, {
      name: 'users',
      // @ts-expect-error the fallback must produce a User
      fallback: () => 42,
    });
  });

  it('returns typed breakers from a registry, and controls from lookups', () => {
    const registry = createCircuitBreakerRegistry();
    expectTypeOf(registry.get('users', fetchUser)).toEqualTypeOf<
      CircuitBreaker<[id: string], User>
    >();
    expectTypeOf(registry.get('users')).toEqualTypeOf<CircuitControl | undefined>();
    expectTypeOf(registry.list()).toEqualTypeOf<CircuitControl[]>();
  });

  it('exposes the capacity error as a Rampart error with its code', () => {
    expectTypeOf<CircuitCapacityError['code']>().toEqualTypeOf<'E_CIRCUIT_CAPACITY'>();
  });
});
