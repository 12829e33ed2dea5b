import { ValidationError } from '@rampart/errors';
import { hasRedisServer, startRedisServer } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeRedis } from './close-redis.ts';
import { logRedisErrors, type RedisErrorLogFields } from './log-redis-errors.ts';

interface Line {
  readonly level: 'warn' | 'info';
  readonly message: string;
  readonly fields: RedisErrorLogFields;
  readonly at: number;
}

function collect(): {
  lines: Line[];
  log: (level: 'warn' | 'info', message: string, fields: RedisErrorLogFields) => void;
} {
  const lines: Line[] = [];
  return {
    lines,
    log: (level, message, fields) => lines.push({ level, message, fields, at: Date.now() }),
  };
}

const { Redis } = ioredisClients[0] as (typeof ioredisClients)[number];

describe('logRedisErrors', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('names bad arguments', async () => {
    const client = new Redis({ lazyConnect: true });
    expect(() => logRedisErrors({} as never, { log: () => {} })).toThrow(/`client`/);
    expect(() => logRedisErrors(client, {} as never)).toThrow(ValidationError);
    expect(() => logRedisErrors(client, { log: { warn() {} } } as never)).toThrow(/`options.log`/);
    expect(() => logRedisErrors(client, { log: () => {}, intervalMs: 0 })).toThrow(
      /`options.intervalMs`/,
    );
    await closeRedis(client);
  });

  it('writes the first error, one summary per interval with the count, and the recovery', async () => {
    vi.useFakeTimers();
    const client = new Redis({ lazyConnect: true });
    const { lines, log } = collect();
    const handle = logRedisErrors(client, { log, intervalMs: 1_000 });
    for (let index = 0; index < 5; index++) client.emit('error', new Error(`refused ${index}`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      fields: { event: 'redis-error', errors: 1, error: { message: 'refused 0' } },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({
      level: 'warn',
      fields: { event: 'redis-errors-summary', errors: 4, error: { message: 'refused 4' } },
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(lines).toHaveLength(2);
    client.emit('ready');
    expect(lines[2]).toMatchObject({
      level: 'info',
      fields: { event: 'redis-recovered', errors: 5 },
    });
    client.emit('ready');
    expect(lines).toHaveLength(3);
    await handle.close();
    expect(client.listenerCount('error')).toBe(0);
    expect(client.listenerCount('ready')).toBe(0);
    await closeRedis(client);
  });

  it('accepts a pino-like logger', async () => {
    const client = new Redis({ lazyConnect: true });
    const calls: unknown[][] = [];
    const logger = {
      warn: (...args: unknown[]) => calls.push(['warn', ...args]),
      info: (...args: unknown[]) => calls.push(['info', ...args]),
    };
    await using _ = logRedisErrors(client, { log: logger });
    client.emit(
      'error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    client.emit('ready');
    expect(calls).toEqual([
      [
        'warn',
        {
          event: 'redis-error',
          errors: 1,
          error: { message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
        },
        'Redis: connection error: connect ECONNREFUSED',
      ],
      [
        'info',
        { event: 'redis-recovered', errors: 1 },
        'Redis: connection recovered after 1 errors',
      ],
    ]);
    await closeRedis(client);
  });

  it('accounts for every error, at most one warning per interval after the first (any sequence)', async () => {
    const step = fc.oneof(
      fc.constant({ kind: 'error' as const }),
      fc.constant({ kind: 'ready' as const }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 3_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 2_000 }),
        async (steps, intervalMs) => {
          vi.useFakeTimers();
          const client = new Redis({ lazyConnect: true });
          const { lines, log } = collect();
          const handle = logRedisErrors(client, { log, intervalMs });
          let sinceReady = 0;
          for (const each of steps) {
            if (each.kind === 'error') {
              sinceReady += 1;
              client.emit('error', new Error('down'));
            } else if (each.kind === 'ready') {
              const before = lines.length;
              client.emit('ready');
              // A recovery line exactly when errors came before, with their count.
              if (sinceReady > 0)
                expect(lines.slice(before)).toEqual([
                  expect.objectContaining({
                    fields: { event: 'redis-recovered', errors: sinceReady },
                  }),
                ]);
              else expect(lines.length).toBe(before);
              sinceReady = 0;
            } else {
              await vi.advanceTimersByTimeAsync(each.ms);
            }
          }
          await vi.advanceTimersByTimeAsync(intervalMs);
          // Every error since the last recovery is in a line by now.
          const lastRecovery = lines.findLastIndex(
            (line) => line.fields.event === 'redis-recovered',
          );
          const reported = lines
            .slice(lastRecovery + 1)
            .reduce((sum, line) => sum + line.fields.errors, 0);
          expect(reported).toBe(sinceReady);
          // Summaries are at least an interval apart.
          const summaries = lines.filter((line) => line.fields.event === 'redis-errors-summary');
          for (let index = 1; index < summaries.length; index++) {
            expect(
              (summaries[index] as Line).at - (summaries[index - 1] as Line).at,
            ).toBeGreaterThanOrEqual(intervalMs);
          }
          await handle.close();
          vi.useRealTimers();
          client.disconnect();
        },
      ),
      { numRuns: 60 },
    );
  });

  it.runIf(hasRedisServer()).each(ioredisClients)(
    'writes one line, not one per reconnect attempt, while Redis is down ($name)',
    async ({ Redis: Client }) => {
      const server = await startRedisServer();
      const { lines, log } = collect();
      const client = new Client(server.url, { enableOfflineQueue: false, retryStrategy: () => 5 });
      logRedisErrors(client, { log, intervalMs: 60_000 });
      let errors = 0;
      client.on('error', () => errors++);
      await new Promise((resolve) => client.once('ready', resolve));
      await server.kill();
      let attempts = 0;
      await new Promise<void>((resolve) => {
        client.on('reconnecting', () => {
          if (++attempts === 10) resolve();
        });
      });
      expect(lines.map((line) => line.fields.event)).toEqual(['redis-error']);
      const recovered = new Promise((resolve) => client.once('ready', resolve));
      await server.restart();
      await recovered;
      expect(lines.map((line) => line.fields.event)).toEqual(['redis-error', 'redis-recovered']);
      // Every error was counted, though only the first one was written.
      expect(errors).toBeGreaterThanOrEqual(9);
      expect(lines[1]?.fields.errors).toBe(errors);
      await closeRedis(client);
      await server.stop();
    },
    30_000,
  );
});
