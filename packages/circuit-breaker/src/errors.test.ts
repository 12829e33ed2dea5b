import {
  deserializeError,
  errorRegistry,
  isRampartError,
  serializeError,
  toProblem,
} from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { CircuitCapacityError, createCircuitBreaker } from './index.ts';
import { controlledFunction, manualClock, rejectionOf } from './test-support.ts';

describe('CircuitCapacityError', () => {
  it('is registered with @rampart/errors as E_CIRCUIT_CAPACITY, 503, retryable', () => {
    expect(errorRegistry.get('E_CIRCUIT_CAPACITY')).toMatchObject({
      status: 503,
      retryable: true,
      expose: false,
      name: 'CircuitCapacityError',
      errorClass: CircuitCapacityError,
    });
  });

  it('survives serialisation across processes', () => {
    const revived = deserializeError(
      JSON.parse(JSON.stringify(serializeError(new CircuitCapacityError('full')))),
    );
    expect(revived).toBeInstanceOf(CircuitCapacityError);
    expect(isRampartError(revived, 'E_CIRCUIT_CAPACITY')).toBe(true);
  });
});

describe('rejections as problem details', () => {
  it('answer 503 without leaking the breaker’s name to clients', async () => {
    const { fn } = controlledFunction();
    const breaker = createCircuitBreaker(fn, {
      name: 'internal-ledger',
      clock: manualClock(),
      timeoutMs: false,
      capacity: 1,
    });
    breaker.execute('a').catch(() => undefined);
    const capacity = await rejectionOf(breaker.execute('b'));
    breaker.isolate();
    const open = await rejectionOf(breaker.execute('c'));
    for (const error of [capacity, open]) {
      const problem = toProblem(error);
      expect(problem.status).toBe(503);
      expect(JSON.stringify(problem)).not.toContain('internal-ledger');
    }
    await breaker.dispose();
  });
});
