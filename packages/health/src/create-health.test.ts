import { ConflictError, InternalError, isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHealth, type HealthStatus, worseStatus } from './index.ts';
import { controlledCheck } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('check outcomes', () => {
  it('counts a check that throws synchronously as down', async () => {
    const health = createHealth({
      checks: {
        sync: () => {
          throw new Error('connection refused to 10.0.0.7:5432');
        },
      },
    });
    const report = await health.check();
    expect(report.status).toBe('fail');
    expect(report.checks.sync).toMatchObject({ status: 'fail', output: 'failed' });
    expect(report.checks.sync?.error).toBeInstanceOf(Error);
    expect(JSON.stringify(report)).not.toContain('10.0.0.7');
  });

  it('counts a rejection, a fail outcome, false and a malformed outcome as down', async () => {
    const health = createHealth({
      checks: {
        rejects: async () => {
          throw new Error('boom');
        },
        fails: () => ({ status: 'fail', output: 'replica lag 30 s' }),
        returnsFalse: () => false,
        malformed: () => ({ status: 'broken' }) as never,
      },
    });
    const report = await health.check();
    expect(report.status).toBe('fail');
    for (const name of ['rejects', 'fails', 'returnsFalse', 'malformed']) {
      expect(report.checks[name]?.status, name).toBe('fail');
    }
    expect(report.checks.fails?.output).toBe('replica lag 30 s');
  });

  it('passes for nothing, true or a pass outcome and keeps the measurement', async () => {
    const health = createHealth({
      checks: {
        nothing: async () => {},
        yes: () => true,
        measured: () => ({ status: 'pass', observedValue: 3, observedUnit: 'ms' }),
      },
    });
    const report = await health.check();
    expect(report.status).toBe('pass');
    expect(report.checks.measured).toMatchObject({ observedValue: 3, observedUnit: 'ms' });
  });

  it('says only the code of an unexposed Rampart error, and the message of an exposed one', async () => {
    const health = createHealth({
      checks: {
        internal: () => {
          throw new InternalError('password=hunter2 rejected by db-7');
        },
        conflict: async () => {
          throw new ConflictError('migration 42 is still running');
        },
      },
    });
    const report = await health.check();
    expect(report.checks.internal?.output).toBe('failed with E_INTERNAL');
    expect(report.checks.conflict?.output).toBe('migration 42 is still running');
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });
});

describe('deadlines', () => {
  it('fails a check at its deadline, aborts its signal and ignores a late answer', async () => {
    const { check, runs } = controlledCheck();
    const health = createHealth({ checks: { slow: { check, timeoutMs: 250 } } });
    const pending = health.check();
    await vi.advanceTimersByTimeAsync(249);
    expect(runs[0]?.context.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const report = await pending;
    expect(runs[0]?.context.signal.aborted).toBe(true);
    expect(report.checks.slow).toMatchObject({
      status: 'fail',
      output: 'timed out after 250 ms',
      durationMs: 250,
    });
    runs[0]?.resolve();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses the registry timeout by default and leaves no timer once a check settles', async () => {
    const { check, runs } = controlledCheck();
    const health = createHealth({ timeoutMs: 100, checks: { quick: check } });
    const pending = health.check();
    expect(vi.getTimerCount()).toBe(1);
    runs[0]?.resolve();
    expect((await pending).status).toBe('pass');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('finishes every report by the longest deadline, whatever the checks do', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 2_000 }), { minLength: 1, maxLength: 6 }),
        async (timeouts) => {
          const health = createHealth();
          timeouts.forEach((timeoutMs, index) => {
            health.add(`hang-${index}`, () => new Promise(() => {}), { timeoutMs });
          });
          let done = false;
          const pending = health.check().then((report) => {
            done = true;
            return report;
          });
          await vi.advanceTimersByTimeAsync(Math.max(...timeouts));
          expect(done).toBe(true);
          const report = await pending;
          expect(report.status).toBe('fail');
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('status aggregation', () => {
  const statuses = fc.constantFrom<HealthStatus>('pass', 'warn', 'fail');

  it('is the worst status after criticality, pass when empty', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ status: statuses, critical: fc.boolean() }), { maxLength: 8 }),
        async (specs) => {
          const health = createHealth();
          specs.forEach((spec, index) => {
            health.add(`c${index}`, () => ({ status: spec.status }), { critical: spec.critical });
          });
          const report = await health.check();
          const expected = specs
            .map((spec) => (spec.status === 'fail' && !spec.critical ? 'warn' : spec.status))
            .reduce<HealthStatus>(worseStatus, 'pass');
          expect(report.status).toBe(expected);
          expect(Object.keys(report.checks)).toEqual(specs.map((_, index) => `c${index}`));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('makes a non-critical failure warn, not fail', async () => {
    const health = createHealth();
    health.add('search', () => false, { critical: false });
    const report = await health.check();
    expect(report.status).toBe('warn');
    expect(report.checks.search).toMatchObject({ status: 'warn', checkStatus: 'fail' });
  });
});

describe('groups', () => {
  it('puts checks in readiness by default and runs only the asked group', async () => {
    const calls: string[] = [];
    const health = createHealth();
    health.add('db', () => {
      calls.push('db');
    });
    health.add(
      'loop',
      () => {
        calls.push('loop');
      },
      { groups: ['liveness'] },
    );
    health.add(
      'warm',
      () => {
        calls.push('warm');
      },
      { groups: ['startup', 'readiness'] },
    );
    expect(Object.keys((await health.check('liveness')).checks)).toEqual(['loop']);
    expect(Object.keys((await health.check('readiness')).checks)).toEqual(['db', 'warm']);
    expect(Object.keys((await health.check('startup')).checks)).toEqual(['warm']);
    expect(Object.keys((await health.check()).checks)).toEqual(['db', 'loop', 'warm']);
    expect(calls).toEqual(['loop', 'db', 'warm', 'warm', 'db', 'loop', 'warm']);
  });

  it('fails readiness at once when shutting down, without running its checks, and keeps liveness', async () => {
    let runs = 0;
    const health = createHealth();
    health.add('db', () => {
      runs++;
    });
    health.add('loop', () => true, { groups: ['liveness'] });
    health.markShuttingDown();
    const readiness = await health.check('readiness');
    expect(readiness).toMatchObject({ status: 'fail', shuttingDown: true, checks: {} });
    expect(runs).toBe(0);
    expect((await health.check('liveness')).status).toBe('pass');
    expect((await health.check()).status).toBe('fail');
  });
});

describe('caching and single flight', () => {
  it('shares one run between concurrent probes of a check', async () => {
    const { check, runs } = controlledCheck();
    const health = createHealth({ checks: { db: check } });
    const probes = Array.from({ length: 50 }, () => health.check());
    expect(runs).toHaveLength(1);
    runs[0]?.resolve({ status: 'warn', output: 'slow' });
    const reports = await Promise.all(probes);
    expect(new Set(reports.map((report) => report.checks.db?.status))).toEqual(new Set(['warn']));
    void health.check();
    expect(runs).toHaveLength(2);
  });

  it('reuses a result for cacheMs after the run ended, then runs again', async () => {
    let runs = 0;
    const health = createHealth({ cacheMs: 1_000 });
    health.add('db', async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { status: 'pass', observedValue: runs };
    });
    const first = health.check();
    await vi.advanceTimersByTimeAsync(100);
    expect((await first).checks.db).toMatchObject({ cached: false, observedValue: 1 });
    await vi.advanceTimersByTimeAsync(999);
    const cached = await health.check();
    expect(cached.checks.db).toMatchObject({ cached: true, observedValue: 1, durationMs: 100 });
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const again = health.check();
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect((await again).checks.db).toMatchObject({ cached: false, observedValue: 2 });
  });

  it('runs a check at most once per cacheMs under any probe schedule', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 40 }),
        async (cacheMs, gaps) => {
          const started: number[] = [];
          const health = createHealth({ cacheMs });
          health.add('db', () => {
            started.push(Date.now());
          });
          for (const gap of gaps) {
            await vi.advanceTimersByTimeAsync(gap);
            await health.check();
          }
          for (let index = 1; index < started.length; index++) {
            expect(
              (started[index] as number) - (started[index - 1] as number),
            ).toBeGreaterThanOrEqual(cacheMs);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('caches failures too, so a storm of probes does not hammer a failing dependency', async () => {
    let runs = 0;
    const health = createHealth({ checks: { db: { check: () => ++runs < 0, cacheMs: 500 } } });
    for (let probe = 0; probe < 20; probe++) await health.check();
    expect(runs).toBe(1);
  });
});

describe('events', () => {
  it('publishes each run and each change of a group status', async () => {
    const { subscribe, unsubscribe } = await import('node:diagnostics_channel');
    const { healthChannels } = await import('./index.ts');
    const checks: unknown[] = [];
    const statuses: unknown[] = [];
    const onCheck = (message: unknown): void => void checks.push(message);
    const onStatus = (message: unknown): void => void statuses.push(message);
    subscribe(healthChannels.check, onCheck);
    subscribe(healthChannels.status, onStatus);
    try {
      let healthy = true;
      const health = createHealth({ name: 'orders', checks: { db: () => healthy } });
      await health.check('readiness');
      await health.check('readiness');
      healthy = false;
      await health.check('readiness');
      expect(checks).toHaveLength(3);
      expect(checks[2]).toMatchObject({
        name: 'orders',
        check: 'db',
        status: 'fail',
        timedOut: false,
      });
      expect(statuses).toEqual([
        { name: 'orders', group: 'readiness', from: undefined, to: 'pass', unhealthy: [] },
        { name: 'orders', group: 'readiness', from: 'pass', to: 'fail', unhealthy: ['db'] },
      ]);
    } finally {
      unsubscribe(healthChannels.check, onCheck);
      unsubscribe(healthChannels.status, onStatus);
    }
  });
});

describe('bad input', () => {
  it('names the field of invalid options', () => {
    expect(() => createHealth({ timeoutMs: -1 })).toThrow(/createHealth: `timeoutMs`/);
    expect(() => createHealth({ checks: { db: 42 as never } })).toThrow(/`checks.db`/);
    expect(() => createHealth({ clock: {} as never })).toThrow(/`clock`/);
    const health = createHealth();
    expect(() => health.add('', () => true)).toThrow(/`name`/);
    expect(() => health.add('x', 'nope' as never)).toThrow(/`check`/);
    expect(() => health.add('x', () => true, { groups: ['ready' as never] })).toThrow(/`groups/);
    expect(() => health.add('x', () => true, { cacheMs: 1.5 })).toThrow(/`cacheMs`/);
    health.add('x', () => true);
    expect(() => health.add('x', () => true)).toThrow(/already registered/);
    for (const attempt of [
      () => createHealth({ timeoutMs: 0 }),
      () => health.add('', () => true),
    ]) {
      try {
        attempt();
      } catch (error) {
        expect(isRampartError(error, 'E_CONFIG')).toBe(true);
      }
    }
  });

  it('fails a check whose outcome cannot be read, and rejects a signal that is not one', async () => {
    const health = createHealth({
      checks: {
        getter: () =>
          ({
            get status(): never {
              throw new Error('no status');
            },
          }) as never,
        asyncGetter: async () =>
          ({
            get status(): never {
              throw new Error('no status');
            },
          }) as never,
      },
    });
    const report = await health.check();
    expect(report.checks.getter?.status).toBe('fail');
    expect(report.checks.asyncGetter?.status).toBe('fail');
    await expect(health.check(undefined, { signal: 'soon' as never })).rejects.toThrow(
      /check: `signal` must be an AbortSignal/,
    );
  });

  it('rejects an unknown group with a ValidationError and honours an aborted signal', async () => {
    const health = createHealth({ checks: { hang: () => new Promise(() => {}) } });
    await expect(health.check('ready' as never)).rejects.toThrow(/`group`/);
    const controller = new AbortController();
    const pending = health.check(undefined, { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
    expect(health.remove('hang')).toBe(true);
    expect(health.remove('hang')).toBe(false);
  });
});
