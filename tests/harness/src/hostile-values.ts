import fc from 'fast-check';

/** How a hostile return value settles when adopted as a promise. */
export type HostileOutcome = 'resolve' | 'reject' | 'never';

/** A factory of a hostile value a user function might return, and how it settles. */
export interface HostileReturnValue {
  readonly label: string;
  readonly outcome: HostileOutcome;
  readonly make: () => unknown;
}

type Then = (resolve: (value: unknown) => void, reject: (reason: unknown) => void) => unknown;

/** An object whose `then` member is defined without a literal `then:` key. */
function withThen(then: Then | PropertyDescriptor): object {
  const descriptor: PropertyDescriptor =
    typeof then === 'function' ? { value: then, enumerable: true } : then;
  return Object.defineProperty({}, 'then', descriptor);
}

const values: readonly HostileReturnValue[] = [
  {
    label: 'then getter throws',
    outcome: 'reject',
    make: () =>
      withThen({
        get() {
          throw new TypeError('hostile then getter');
        },
      }),
  },
  {
    label: 'then throws synchronously',
    outcome: 'reject',
    make: () =>
      withThen(() => {
        throw new TypeError('hostile then call');
      }),
  },
  {
    label: 'then rejects synchronously',
    outcome: 'reject',
    make: () => withThen((_resolve, reject) => reject(new TypeError('sync rejection'))),
  },
  {
    label: 'then rejects twice',
    outcome: 'reject',
    make: () =>
      withThen((_resolve, reject) => {
        reject(new TypeError('first'));
        reject(new TypeError('second'));
      }),
  },
  {
    label: 'then resolves, then rejects, then throws',
    outcome: 'resolve',
    make: () =>
      withThen((resolve, reject) => {
        resolve('value');
        reject(new TypeError('late'));
        throw new TypeError('later');
      }),
  },
  {
    label: 'then resolves synchronously',
    outcome: 'resolve',
    make: () => withThen((resolve) => resolve(42)),
  },
  {
    label: 'then never calls back',
    outcome: 'never',
    make: () => withThen(() => undefined),
  },
  {
    label: 'Proxy that throws on every trap',
    outcome: 'reject',
    make: () =>
      new Proxy(
        {},
        {
          get() {
            throw new TypeError('hostile proxy');
          },
          has() {
            throw new TypeError('hostile proxy');
          },
          getPrototypeOf() {
            throw new TypeError('hostile proxy');
          },
        },
      ),
  },
  {
    label: 'function with a throwing then getter',
    outcome: 'reject',
    make: () =>
      Object.defineProperty(() => 1, 'then', {
        get() {
          throw new TypeError('hostile function then');
        },
      }),
  },
];

/**
 * Arbitrary hostile values a user function may return where a promise is expected:
 * throwing `then` getters, thenables that call back twice, never or synchronously, and
 * Proxies that throw on every trap. Each says whether adopting it resolves, rejects or
 * never settles.
 *
 * @example
 * ```ts
 * fc.assert(fc.asyncProperty(hostileReturnValues(), async ({ make, outcome }) => { … }));
 * ```
 */
export function hostileReturnValues(): fc.Arbitrary<HostileReturnValue> {
  return fc.constantFrom(...values);
}
