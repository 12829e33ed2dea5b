import { EventEmitter, once } from 'node:events';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import { getLogContext, withLogContext } from './log-context.ts';
import { capture } from './test-fixtures/capture.ts';

function setup() {
  const output = capture();
  const logger = createLogger({ destination: { stream: output.stream }, level: 'trace' });
  return { output, logger };
}

describe('withLogContext', () => {
  it('adds its bindings to every line written inside it, and to none outside', () => {
    const { output, logger } = setup();
    logger.info('before');
    withLogContext({ requestId: 'r-1', userId: 42 }, () => logger.info('inside'));
    logger.info('after');
    expect(
      output.records().map(({ requestId, userId, msg }) => ({ requestId, userId, msg })),
    ).toEqual([
      { requestId: undefined, userId: undefined, msg: 'before' },
      { requestId: 'r-1', userId: 42, msg: 'inside' },
      { requestId: undefined, userId: undefined, msg: 'after' },
    ]);
  });

  it('returns what the function returns, including its promise', async () => {
    expect(withLogContext({ a: 1 }, () => 'value')).toBe('value');
    await expect(withLogContext({ a: 1 }, async () => 'later')).resolves.toBe('later');
  });

  it('reaches every logger and child logger without passing them around', () => {
    const first = setup();
    const second = setup();
    const child = first.logger.child({ component: 'db' });
    withLogContext({ requestId: 'r-2' }, () => {
      child.info('from a child');
      second.logger.warn('from another logger');
    });
    expect(first.output.last()).toMatchObject({ requestId: 'r-2', component: 'db' });
    expect(second.output.last()).toMatchObject({ requestId: 'r-2' });
  });

  it('follows timers, immediates, intervals, ticks and microtasks', async () => {
    const { output, logger } = setup();
    await withLogContext({ requestId: 'timers' }, async () => {
      await new Promise<void>((resolve) => {
        setTimeout(() => {
          logger.info('timeout');
          resolve();
        }, 1);
      });
      await new Promise<void>((resolve) => {
        setImmediate(() => {
          logger.info('immediate');
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        const interval = setInterval(() => {
          clearInterval(interval);
          logger.info('interval');
          resolve();
        }, 1);
      });
      await new Promise<void>((resolve) => {
        process.nextTick(() => {
          logger.info('tick');
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        queueMicrotask(() => {
          logger.info('microtask');
          resolve();
        });
      });
    });
    expect(output.records().map((record) => [record.msg, record.requestId])).toEqual([
      ['timeout', 'timers'],
      ['immediate', 'timers'],
      ['interval', 'timers'],
      ['tick', 'timers'],
      ['microtask', 'timers'],
    ]);
  });

  it('follows promise chains, Promise.all and async functions at any depth', async () => {
    const { output, logger } = setup();
    const deep = async (depth: number): Promise<void> => {
      await sleep(0);
      if (depth === 0) logger.info('deepest');
      else await deep(depth - 1);
    };
    await withLogContext({ requestId: 'promises' }, () =>
      Promise.all([
        Promise.resolve().then(() => logger.info('then')),
        deep(10),
        sleep(1).then(() => logger.info('after sleep')),
      ]),
    );
    expect(output.records().map((record) => record.requestId)).toEqual([
      'promises',
      'promises',
      'promises',
    ]);
  });

  it('follows streams, and two concurrent pipelines keep their own context', async () => {
    const { output, logger } = setup();
    const run = (requestId: string) =>
      withLogContext({ requestId }, () =>
        pipeline(
          Readable.from(['a', 'b', 'c']),
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              logger.info({ chunk: String(chunk) }, 'transformed');
              callback(null, chunk);
            },
          }),
          new Writable({
            write(_chunk, _encoding, callback) {
              logger.debug('written');
              setImmediate(callback);
            },
          }),
        ),
      );
    await Promise.all([run('stream-1'), run('stream-2')]);
    const records = output.records();
    expect(records).toHaveLength(12);
    for (const requestId of ['stream-1', 'stream-2']) {
      expect(records.filter((record) => record.requestId === requestId)).toHaveLength(6);
    }
  });

  it('follows event handlers added inside it when the emitter runs in it too', async () => {
    const { output, logger } = setup();
    await withLogContext({ requestId: 'events' }, async () => {
      const emitter = new EventEmitter();
      emitter.on('tick', () => logger.info('handled'));
      setTimeout(() => emitter.emit('tick'), 1);
      await once(emitter, 'tick');
    });
    expect(output.last()).toMatchObject({ requestId: 'events', msg: 'handled' });
  });

  it('nests: inner scopes add and override fields, and the outer ones come back', async () => {
    const { output, logger } = setup();
    await withLogContext({ requestId: 'outer', tenant: 'acme' }, async () => {
      await withLogContext({ requestId: 'inner', userId: 7 }, async () => {
        await sleep(0);
        logger.info('inner');
        expect(getLogContext()).toEqual({ requestId: 'inner', tenant: 'acme', userId: 7 });
      });
      logger.info('outer again');
    });
    expect(
      output.records().map(({ requestId, tenant, userId }) => ({ requestId, tenant, userId })),
    ).toEqual([
      { requestId: 'inner', tenant: 'acme', userId: 7 },
      { requestId: 'outer', tenant: 'acme', userId: undefined },
    ]);
  });

  it('lets a field given to the log call win over the context', () => {
    const { output, logger } = setup();
    withLogContext({ step: 'context' }, () => logger.info({ step: 'call' }, 'override'));
    // Both are written; JSON readers keep the last one, the call's.
    expect(output.last().step).toBe('call');
    expect(output.lines[0]?.indexOf('"step":"context"')).toBeLessThan(
      output.lines[0]?.indexOf('"step":"call"') ?? -1,
    );
  });

  it('redacts sensitive context fields and serializes odd values safely', () => {
    const { output, logger } = setup();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    withLogContext(
      { token: 'secret-token', user: { id: 1, password: 'hunter2' }, cyclic, big: 10n },
      () => logger.info('odd'),
    );
    const line = output.lines[0] ?? '';
    expect(line).not.toContain('secret-token');
    expect(line).not.toContain('hunter2');
    expect(output.last()).toMatchObject({
      token: '[Redacted]',
      user: { id: 1, password: '[Redacted]' },
      cyclic: { name: 'loop', self: '[Circular]' },
      big: 10,
    });
  });

  it('serializes the context once per logger configuration, each with its own redaction', () => {
    const plain = capture();
    const strict = capture();
    const loose = createLogger({ destination: { stream: plain.stream } });
    const tight = createLogger({ destination: { stream: strict.stream }, redact: ['tenant'] });
    withLogContext({ tenant: 'acme' }, () => {
      loose.info('one');
      tight.info('two');
      loose.info('three');
      tight.info('four');
    });
    expect(plain.records().map((record) => record.tenant)).toEqual(['acme', 'acme']);
    expect(strict.records().map((record) => record.tenant)).toEqual(['[Redacted]', '[Redacted]']);
  });

  it('serializes the context with the serializers of a logger created inside it', () => {
    withLogContext({ user: { id: 1, name: 'Ada' } }, () => {
      const output = capture();
      const logger = createLogger({
        destination: { stream: output.stream },
        serializers: { user: (user) => ({ id: (user as { id: number }).id }) },
      });
      logger.info('created inside');
      expect(output.last().user).toEqual({ id: 1 });
    });
  });

  it('never mixes the contexts of concurrent requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }), {
          minLength: 2,
          maxLength: 12,
        }),
        async (requests) => {
          const { output, logger } = setup();
          await Promise.all(
            requests.map((delays, index) =>
              withLogContext({ requestId: `request-${index}` }, async () => {
                for (const [step, delay] of delays.entries()) {
                  if (delay === 0) await Promise.resolve();
                  else await sleep(delay);
                  logger.info({ expected: `request-${index}`, step }, 'step');
                }
              }),
            ),
          );
          const records = output.records();
          expect(records).toHaveLength(requests.flat().length);
          for (const record of records) expect(record.requestId).toBe(record.expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('rejects bindings that are not an object, and a missing function', () => {
    for (const call of [
      () => withLogContext(null as never, () => 1),
      () => withLogContext(['a'] as never, () => 1),
      () => withLogContext({}, 'run' as never),
    ]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(isRampartError(caught, 'E_VALIDATION')).toBe(true);
    }
  });
});

describe('getLogContext', () => {
  it('is an empty frozen object outside any context and the frozen bindings inside', () => {
    expect(getLogContext()).toEqual({});
    expect(Object.isFrozen(getLogContext())).toBe(true);
    withLogContext({ requestId: 'r-9' }, () => {
      expect(getLogContext()).toEqual({ requestId: 'r-9' });
      expect(Object.isFrozen(getLogContext())).toBe(true);
    });
  });
});
