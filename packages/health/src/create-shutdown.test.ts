import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createHealth,
  createShutdown,
  type HealthShutdownEvent,
  healthChannels,
  type ShutdownOptions,
  type ShutdownProcess,
  type ShutdownServer,
  shutdownOrder,
} from './index.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A process stand-in: signals are emitted by the test, exit() is recorded. */
class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
  signal(name: NodeJS.Signals): void {
    this.emit(name, name);
  }
}

/** A server stand-in whose close() completes when the test says so. */
function fakeServer() {
  const log: string[] = [];
  let finishClose: (() => void) | undefined;
  const server: ShutdownServer = {
    close(callback) {
      log.push('close');
      finishClose = () => callback?.();
    },
    closeIdleConnections: () => void log.push('close-idle'),
    closeAllConnections: () => void log.push('close-all'),
  };
  return { server, log, drained: () => finishClose?.() };
}

function setup(options: Partial<ShutdownOptions> = {}) {
  const target = new FakeProcess();
  const health = createHealth({ checks: { db: () => true } });
  const events: HealthShutdownEvent[] = [];
  const onEvent = (message: unknown): void => void events.push(message as HealthShutdownEvent);
  subscribe(healthChannels.shutdown, onEvent);
  const shutdown = createShutdown({
    process: target,
    health,
    drainDelayMs: 1_000,
    timeoutMs: 10_000,
    ...options,
  });
  const cleanup = (): void => {
    unsubscribe(healthChannels.shutdown, onEvent);
  };
  return { target, health, shutdown, events, cleanup };
}

describe('createShutdown', () => {
  it('fails readiness at once, waits the drain delay, closes servers, then runs handlers in order', async () => {
    const { server, log, drained } = fakeServer();
    const { target, health, shutdown, events, cleanup } = setup({ servers: [server] });
    const order: string[] = [];
    shutdown.onShutdown('logger', () => void order.push('logger'), { order: shutdownOrder.logger });
    shutdown.onShutdown('redis', () => void order.push('redis'), { order: shutdownOrder.redis });
    shutdown.onShutdown(
      'cache',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push('cache');
      },
      { order: shutdownOrder.cache },
    );
    shutdown.onShutdown('queue', () => void order.push('queue'));

    target.signal('SIGTERM');
    expect(health.shuttingDown).toBe(true);
    expect((await health.check('readiness')).status).toBe('fail');
    expect(shutdown.state).toBe('draining');
    await vi.advanceTimersByTimeAsync(999);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['close', 'close-idle']);
    expect(shutdown.state).toBe('closing-servers');
    expect(order).toEqual([]);
    drained();
    await vi.advanceTimersByTimeAsync(50);
    expect(order).toEqual(['queue', 'cache', 'redis', 'logger']);
    expect(shutdown.state).toBe('completed');
    expect(target.exits).toEqual([]);
    expect(target.listenerCount('SIGTERM')).toBe(0);
    expect(target.listenerCount('SIGINT')).toBe(0);
    const phases = events.map((event) => event.phase + (event.handler ? `:${event.handler}` : ''));
    expect(phases).toEqual([
      'started',
      'draining',
      'closing-servers',
      'handler-started:queue',
      'handler-finished:queue',
      'handler-started:cache',
      'handler-finished:cache',
      'handler-started:redis',
      'handler-finished:redis',
      'completed',
      'handler-started:logger',
      'handler-finished:logger',
    ]);
    expect(vi.getTimerCount()).toBe(0);
    cleanup();
  });

  it('runs handlers by order, then registration, for any registration sequence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 12 }),
        async (orders) => {
          const { shutdown, cleanup } = setup({ drainDelayMs: 0 });
          const ran: number[] = [];
          orders.forEach((order, index) => {
            shutdown.onShutdown(`h${index}`, () => void ran.push(index), { order });
          });
          const result = await shutdown.start('test');
          const expected = orders
            .map((order, index) => ({ order, index }))
            .sort((a, b) => a.order - b.order || a.index - b.index)
            .map((entry) => entry.index);
          expect(ran).toEqual(expected);
          expect(result.outcome).toBe('completed');
          cleanup();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('logs a failing handler and runs the next ones', async () => {
    const { shutdown, cleanup } = setup({ drainDelayMs: 0 });
    const ran: string[] = [];
    shutdown.onShutdown('broken', () => {
      throw new Error('close failed');
    });
    shutdown.onShutdown('rejects', () => Promise.reject(new Error('nope')));
    shutdown.onShutdown('fine', () => void ran.push('fine'));
    const result = await shutdown.start('deploy');
    expect(result).toMatchObject({
      outcome: 'completed',
      failed: ['broken', 'rejects'],
      reason: 'deploy',
    });
    expect(ran).toEqual(['fine']);
    cleanup();
  });

  it('forces the exit with code 1 at the deadline while requests are still draining', async () => {
    const { server, log } = fakeServer();
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const { target, shutdown, cleanup } = setup({ servers: [server], logger, timeoutMs: 5_000 });
    const signals: AbortSignal[] = [];
    shutdown.onShutdown('stuck', ({ signal }) => {
      signals.push(signal);
      return new Promise(() => {});
    });
    shutdown.onShutdown('after', () => {});
    const result = shutdown.start('test');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(['close', 'close-idle']);
    await vi.advanceTimersByTimeAsync(3_999);
    expect(target.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(target.exits).toEqual([1]);
    expect(log).toContain('close-all');
    expect(await result).toMatchObject({ outcome: 'forced', pending: ['0 in-flight requests'] });
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ phase: 'forced' }),
      expect.stringContaining('deadline of 5000 ms passed'),
    );
    expect(signals).toEqual([]);
    cleanup();
  });

  it('gives each handler the remaining deadline and aborts it when the deadline passes', async () => {
    const { target, shutdown, cleanup } = setup({ drainDelayMs: 1_000, timeoutMs: 3_000 });
    const seen: { remainingMs: number; signal: AbortSignal }[] = [];
    shutdown.onShutdown('slow', async (context) => {
      seen.push(context);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    });
    shutdown.onShutdown('stuck', (context) => {
      seen.push(context);
      return new Promise(() => {});
    });
    shutdown.onShutdown('never', () => {});
    const result = shutdown.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(seen.map((context) => context.remainingMs)).toEqual([2_000, 500]);
    expect(seen[1]?.signal.aborted).toBe(true);
    expect(target.exits).toEqual([1]);
    expect((await result).pending).toEqual(['stuck', 'never (not started)']);
    cleanup();
  });

  it('exits at once on a second signal with 128 + its number', async () => {
    const { target, shutdown, cleanup } = setup();
    shutdown.onShutdown('stuck', () => new Promise(() => {}));
    target.signal('SIGTERM');
    await vi.advanceTimersByTimeAsync(100);
    target.signal('SIGINT');
    expect(target.exits).toEqual([130]);
    expect(shutdown.state).toBe('forced');
    const again = setup();
    again.target.signal('SIGINT');
    again.target.signal('SIGTERM');
    expect(again.target.exits).toEqual([143]);
    expect((await again.shutdown.start()).pending).toEqual(['the drain delay']);
    cleanup();
    again.cleanup();
  });

  it('starts once however often it is asked, and dispose stops listening', async () => {
    const { target, shutdown, cleanup } = setup({ drainDelayMs: 0 });
    let runs = 0;
    shutdown.onShutdown('count', () => void runs++);
    const first = shutdown.start('a');
    expect(shutdown.start('b')).toBe(first);
    expect((await first).reason).toBe('a');
    expect(target.listenerCount('SIGTERM')).toBe(0);
    expect(runs).toBe(1);
    const idle = setup();
    idle.shutdown.dispose();
    expect(idle.target.listenerCount('SIGTERM')).toBe(0);
    cleanup();
    idle.cleanup();
  });

  it('names the field of invalid options and handlers', () => {
    const target = new FakeProcess();
    expect(() => createShutdown({ process: target, signals: ['SIGNOPE' as never] })).toThrow(
      /`signals\[0\]`/,
    );
    expect(() =>
      createShutdown({ process: target, drainDelayMs: 30_000, timeoutMs: 10_000 }),
    ).toThrow(/`drainDelayMs` must be below `timeoutMs`/);
    expect(() => createShutdown({ process: target, timeoutMs: -1 })).toThrow(/`timeoutMs`/);
    expect(() => createShutdown({ process: target, servers: [{} as never] })).toThrow(
      /`servers\[0\]`/,
    );
    expect(() => createShutdown({ process: {} as never })).toThrow(/`process`/);
    const shutdown = createShutdown({ process: target });
    expect(() => shutdown.onShutdown('', () => {})).toThrow(/`name`/);
    expect(() => shutdown.onShutdown('x', 1 as never)).toThrow(/`fn`/);
    expect(() => shutdown.onShutdown('x', () => {}, { order: Number.NaN })).toThrow(/`order`/);
    shutdown.onShutdown('x', () => {});
    expect(() => shutdown.onShutdown('x', () => {})).toThrow(/already registered/);
    expect(() => shutdown.addServer({} as never)).toThrow(/`server`/);
    shutdown.dispose();
  });
});
