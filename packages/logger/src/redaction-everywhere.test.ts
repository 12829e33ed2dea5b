import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from './create-logger.ts';
import { sensitiveKeySet } from './internal/redaction/sensitive-keys.ts';
import { withLogContext } from './log-context.ts';
import { defaultRedactedKeys, REDACTED } from './redaction.ts';
import { capture } from './test-fixtures/capture.ts';

const SECRET = 'do-not-log-me';

function setup(options: LoggerOptions = {}) {
  const output = capture();
  const logger = createLogger({ destination: { stream: output.stream }, ...options });
  return { output, logger };
}

/** An HTTP client's error: the request config (with its credentials) as an own property. */
function clientError(): Error {
  const error = new Error('Request failed with status code 502', {
    cause: Object.assign(new Error('socket hang up'), { session: { token: SECRET } }),
  });
  return Object.assign(error, {
    code: 'ERR_BAD_RESPONSE',
    config: { url: '/upstream', headers: { Authorization: `Bearer ${SECRET}`, Accept: 'json' } },
  });
}

const sensitive = [...sensitiveKeySet(defaultRedactedKeys)];
const plainKey = fc
  .string({ minLength: 1, maxLength: 6 })
  .filter((key) => !sensitiveKeySet(defaultRedactedKeys).has(key) && key !== '__proto__');

/** How a secret may be wrapped on its way into a line. */
type Wrapper = 'object' | 'array' | 'error' | 'cause' | 'toJSON' | 'class';
const wrap = (wrapper: Wrapper, key: string, inner: unknown): unknown => {
  switch (wrapper) {
    case 'object':
      return { [key]: inner };
    case 'array':
      return [1, { [key]: inner }];
    case 'error':
      return Object.assign(new Error('failed'), { [key]: inner });
    case 'cause':
      return new Error('outer', { cause: Object.assign(new Error('inner'), { [key]: inner }) });
    case 'toJSON':
      return { toJSON: () => ({ [key]: inner }) };
    case 'class':
      return new (class Holder {
        readonly [key]: unknown = inner;
      })();
  }
};

describe('redaction wherever a secret sits', () => {
  it('never writes a secret, whatever nests it (objects, arrays, errors, causes, toJSON, classes)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sensitive),
        fc.array(
          fc.record({
            wrapper: fc.constantFrom<Wrapper>(
              'object',
              'array',
              'error',
              'cause',
              'toJSON',
              'class',
            ),
            key: plainKey,
          }),
          { maxLength: 7 },
        ),
        plainKey,
        fc.constantFrom('info', 'child', 'context'),
        (secretKey, path, field, how) => {
          let value: unknown = { [secretKey]: SECRET, kept: 'visible' };
          for (const step of path) value = wrap(step.wrapper, step.key, value);
          const { output, logger } = setup();
          if (how === 'info') logger.info({ [field]: value }, 'line');
          else if (how === 'child') logger.child({ [field]: value }).info('line');
          else withLogContext({ [field]: value }, () => logger.info('line'));
          const line = output.lines.join('');
          expect(line).not.toContain(SECRET);
          // Errors' own properties are written as @rampart/errors serializes them (no toJSON).
          const throughErrors = path.some(
            (step) => step.wrapper === 'error' || step.wrapper === 'cause',
          );
          if (!throughErrors) expect(line).toContain('visible');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes an error logged under any key with its message, cause and redacted config', () => {
    const { output, logger } = setup();
    logger.error({ upstream: clientError(), attempts: [clientError()] }, 'sync failed');
    expect(output.lines[0]).not.toContain(SECRET);
    const line = output.last();
    expect(line).toMatchObject({
      upstream: {
        type: 'Error',
        message: 'Request failed with status code 502',
        code: 'ERR_BAD_RESPONSE',
        config: { url: '/upstream', headers: { Authorization: REDACTED, Accept: 'json' } },
        cause: { message: 'socket hang up', session: { token: REDACTED } },
      },
      attempts: [{ config: { headers: { Authorization: REDACTED } } }],
    });
  });

  it('redacts secrets in arrays and in what toJSON() returns', () => {
    const { output, logger } = setup();
    const account = { toJSON: () => ({ id: 7, apiKey: SECRET }) };
    const self = {
      id: 8,
      token: SECRET,
      toJSON() {
        return this;
      },
    };
    logger.info({ users: [{ name: 'ada', password: SECRET }], account, self }, 'batch');
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.last()).toMatchObject({
      users: [{ name: 'ada', password: REDACTED }],
      account: { id: 7, apiKey: REDACTED },
      self: { id: 8, token: REDACTED },
    });
  });

  it('never changes what it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...sensitive), (json, key) => {
        const payload = { data: json, nested: [{ [key]: SECRET }] };
        const before = JSON.stringify(payload);
        setup().logger.info(payload, 'unchanged');
        expect(JSON.stringify(payload)).toBe(before);
      }),
    );
  });

  it('writes the same JSON as pino when there is nothing to redact', () => {
    fc.assert(
      fc.property(fc.dictionary(plainKey, fc.jsonValue({ maxDepth: 6 })), (fields) => {
        const { output, logger } = setup({ base: null });
        logger.info(fields, 'same');
        const { level: _level, time: _time, msg: _msg, ...written } = output.last();
        const expected = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
        for (const key of ['level', 'time', 'msg']) delete expected[key];
        expect(written).toEqual(expected);
      }),
    );
  });
});

describe('a line is written, never a throw into the caller', () => {
  it('marks a throwing getter and logs the rest', () => {
    const { output, logger } = setup();
    const hostile = {
      id: 1,
      get broken(): never {
        throw new Error('getter exploded');
      },
    };
    expect(() => logger.info({ user: hostile, top: hostile }, 'hostile')).not.toThrow();
    expect(output.last()).toMatchObject({
      user: { id: 1, broken: '[Unreadable]' },
      top: { id: 1, broken: '[Unreadable]' },
      msg: 'hostile',
    });
  });

  it('marks a throwing toJSON() and Proxies whose traps throw or are revoked', () => {
    const { output, logger } = setup();
    const { proxy: revoked, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    const trapping = new Proxy(
      { a: 1 },
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    const badJson = {
      toJSON() {
        throw new Error('no json');
      },
    };
    expect(() => logger.info({ revoked, trapping, badJson, kept: 2 }, 'proxies')).not.toThrow();
    expect(output.last()).toMatchObject({
      revoked: '[Unreadable]',
      trapping: '[Unreadable]',
      badJson: '[Unreadable]',
      kept: 2,
    });
  });

  it('writes cycles as [Circular] and very deep data as [Object] / [Array]', () => {
    const { output, logger } = setup();
    const cycle: Record<string, unknown> = { name: 'loop', token: SECRET };
    cycle.self = cycle;
    let deep: unknown = { password: SECRET };
    for (let level = 0; level < 100_000; level++) deep = level % 2 === 0 ? { deep } : [deep];
    expect(() => logger.info({ cycle, deep }, 'shapes')).not.toThrow();
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.last()).toMatchObject({
      cycle: { name: 'loop', token: REDACTED, self: '[Circular]' },
    });
    expect(output.lines[0]).toMatch(/"\[(Object|Array)\]"/);
  });

  it('never throws, whatever the fields (fast-check anything, getters that throw)', () => {
    const throwing = fc.constant(null).map(() => {
      const value = {};
      Object.defineProperty(value, 'x', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
      return value;
    });
    fc.assert(
      fc.property(fc.anything({ withBigInt: false }), throwing, (anything, hostile) => {
        const { output, logger } = setup();
        expect(() => logger.info({ anything, hostile }, 'any')).not.toThrow();
        expect(output.last()).toMatchObject({ hostile: { x: '[Unreadable]' }, msg: 'any' });
      }),
    );
  });
});
