import { type Mock, vi } from 'vitest';

/** What a promise did, readable at any moment of a fake-timer test. */
export interface Tracked<Result> {
  readonly settled: boolean;
  readonly value: Result | undefined;
  readonly error: unknown;
  readonly rejected: boolean;
}

/** Observes a promise without ever leaving its rejection unhandled. */
export function track<Result>(promise: Promise<Result>): Tracked<Result> {
  const state = {
    settled: false,
    value: undefined as Result | undefined,
    error: undefined as unknown,
    rejected: false,
  };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = error;
    },
  );
  return state;
}

/**
 * A function that throws `errors[i]` on attempt `i + 1` and returns `result` once they run
 * out; it records when each attempt started (fake-timer milliseconds since `startedAt`).
 */
export function failing<Result>(
  errors: readonly unknown[],
  result: Result,
  options: { readonly async?: boolean } = {},
): {
  fn: Mock<(context: { attempt: number }) => Result | Promise<Result>>;
  starts: number[];
} {
  const startedAt = Date.now();
  const starts: number[] = [];
  const fn = vi.fn((context: { attempt: number }): Result | Promise<Result> => {
    starts.push(Date.now() - startedAt);
    const index = context.attempt - 1;
    const failure = index < errors.length ? { error: errors[index] } : undefined;
    if (options.async === false) {
      if (failure !== undefined) throw failure.error;
      return result;
    }
    return failure === undefined ? Promise.resolve(result) : Promise.reject(failure.error);
  });
  return { fn, starts };
}

/** `count` copies of one error. */
export function times(count: number, error: unknown): unknown[] {
  return Array.from({ length: count }, () => error);
}
