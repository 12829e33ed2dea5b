import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  fromZodError,
  InternalError,
  NotFoundError,
  normalizeError,
  TimeoutError,
  toProblem,
  ValidationError,
} from './index.ts';

describe('normalizeError', () => {
  it('passes Rampart errors through unchanged', () => {
    const error = new NotFoundError();
    expect(normalizeError(error)).toBe(error);
  });

  it('wraps foreign errors as E_INTERNAL with the original as cause', () => {
    const original = new TypeError('undefined is not a function');
    const normalized = normalizeError(original);
    expect(normalized).toBeInstanceOf(InternalError);
    expect(normalized.message).toBe('undefined is not a function');
    expect(normalized.cause).toBe(original);
    expect(normalized.expose).toBe(false);
  });

  it('maps a timeout DOMException to TimeoutError', async () => {
    const reason: unknown = await new Promise((resolve) => {
      const signal = AbortSignal.timeout(1);
      signal.addEventListener('abort', () => resolve(signal.reason));
    });
    const normalized = normalizeError(reason);
    expect(normalized).toBeInstanceOf(TimeoutError);
    expect(normalized.cause).toBe(reason);
  });

  it('treats a raw zod error as E_INTERNAL: only fromZodError makes it a client error', () => {
    const parsed = z.object({ internalLedgerId: z.string() }).safeParse({ internalLedgerId: 1 });
    if (parsed.success) throw new Error('expected failure');
    const normalized = normalizeError(parsed.error);
    expect(normalized).toBeInstanceOf(InternalError);
    expect(normalized.status).toBe(500);
    expect(normalized.expose).toBe(false);
    expect(JSON.stringify(toProblem(parsed.error))).not.toContain('internalLedgerId');
    expect(fromZodError(parsed.error)).toBeInstanceOf(ValidationError);
  });

  it.each([
    ['a string', 'a string'],
    [42, 'A non-error value was thrown: 42'],
    [undefined, 'A non-error value was thrown: undefined'],
    [{ weird: true }, 'A non-error value was thrown: an object'],
  ])('turns %o into an InternalError', (value, message) => {
    const normalized = normalizeError(value);
    expect(normalized).toBeInstanceOf(InternalError);
    expect(normalized.message).toBe(message);
  });

  it('never throws, even on a hostile error', () => {
    const hostile = Object.create(Error.prototype, {
      message: {
        get() {
          throw new Error('trap');
        },
      },
    }) as Error;
    expect(normalizeError(hostile)).toBeInstanceOf(InternalError);
    const proxy = new Proxy(new Error('x'), {
      get() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    });
    expect(normalizeError(proxy)).toBeInstanceOf(InternalError);
  });
});
