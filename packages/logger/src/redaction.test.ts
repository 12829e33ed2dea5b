import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from './create-logger.ts';
import { createRedactor } from './internal/redaction/redactor.ts';
import { sensitiveKeySet, spellingsOf, splitWords } from './internal/redaction/sensitive-keys.ts';
import { withLogContext } from './log-context.ts';
import { defaultRedactedKeys, REDACTED } from './redaction.ts';
import { capture } from './test-fixtures/capture.ts';

const SECRET = 'do-not-log-me';

function setup(options: LoggerOptions = {}) {
  const output = capture();
  const logger = createLogger({ destination: { stream: output.stream }, ...options });
  return { output, logger };
}

describe('default redaction', () => {
  it('covers exactly the documented keys', () => {
    expect([...defaultRedactedKeys]).toEqual([
      'authorization',
      'proxy-authorization',
      'cookie',
      'set-cookie',
      'x-api-key',
      'x-auth-token',
      'password',
      'passwd',
      'secret',
      'token',
      'accessToken',
      'refreshToken',
      'apiKey',
    ]);
  });

  it.each(defaultRedactedKeys)('redacts %s at the top level', (key) => {
    const { output, logger } = setup();
    logger.info({ [key]: SECRET, kept: 'visible' }, 'top');
    expect(output.last()).toMatchObject({ [key]: REDACTED, kept: 'visible' });
    expect(output.lines[0]).not.toContain(SECRET);
  });

  it.each(defaultRedactedKeys)('redacts %s under req.headers', (key) => {
    const { output, logger } = setup();
    logger.info({ req: { method: 'GET', url: '/', headers: { [key]: SECRET } } }, 'headers');
    expect(output.lines[0]).not.toContain(SECRET);
  });

  it.each(defaultRedactedKeys)('redacts %s one level down in any object', (key) => {
    const { output, logger } = setup();
    logger.info({ anything: { [key]: SECRET, id: 1 } }, 'nested');
    expect(output.last()).toMatchObject({ anything: { [key]: REDACTED, id: 1 } });
  });

  it.each(defaultRedactedKeys)('redacts %s in the headers of any object', (key) => {
    const { output, logger } = setup();
    logger.info({ upstream: { config: { x: 1 }, headers: { [key]: SECRET } } }, 'client');
    expect(output.lines[0]).not.toContain(SECRET);
  });

  it.each(defaultRedactedKeys)('redacts %s in child bindings, base fields and context', (key) => {
    const { output, logger } = setup({ base: { [key]: SECRET } });
    withLogContext({ [key]: SECRET }, () => logger.child({ [key]: SECRET }).info('child'));
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.lines[0]?.match(/\[Redacted\]/g)).toHaveLength(3);
  });

  it.each([
    'access_token',
    'ACCESS_TOKEN',
    'AccessToken',
    'access-token',
    'Authorization',
    'AUTHORIZATION',
    'Set-Cookie',
    'X-API-Key',
    'X-Api-Key',
    'api_key',
    'APIKey',
    'refresh_token',
    'Password',
  ])('redacts the spelling %s', (key) => {
    const { output, logger } = setup();
    logger.info({ [key]: SECRET, nested: { [key]: SECRET } }, 'spelling');
    expect(output.lines[0]).not.toContain(SECRET);
  });

  it('redacts an HTTP client error config (axios style) logged as an error', () => {
    const { output, logger } = setup();
    const error = Object.assign(new Error('Request failed with status code 401'), {
      config: { url: '/me', headers: { Authorization: `Bearer ${SECRET}` } },
    });
    logger.error(error);
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.last()).toMatchObject({ err: { config: { url: '/me' } } });
  });

  it('redacts deeper levels too', () => {
    const { output, logger } = setup();
    logger.info({ a: { b: { password: 'deep', kept: 1 } } }, 'deep');
    expect(output.last()).toMatchObject({ a: { b: { password: REDACTED, kept: 1 } } });
  });

  it('never changes the objects it is given', () => {
    const { logger } = setup();
    const payload = { password: 'p', user: { token: 't' }, req: { headers: { cookie: 'c' } } };
    const copy = structuredClone(payload);
    logger.info(payload, 'unchanged');
    logger.child(payload).info('unchanged');
    expect(payload).toEqual(copy);
  });
});

describe('extra redaction', () => {
  it('redacts a bare key everywhere the defaults are, in all its spellings', () => {
    const { output, logger } = setup({ redact: ['ssn', 'creditCard'] });
    logger.info(
      { ssn: SECRET, user: { SSN: SECRET, credit_card: SECRET }, creditCard: SECRET },
      'extra',
    );
    expect(output.lines[0]).not.toContain(SECRET);
  });

  it('redacts pino paths, deep and with wildcards', () => {
    const { output, logger } = setup({ redact: ['order.payment.card.number', 'items[*].code'] });
    logger.info(
      {
        order: { payment: { card: { number: SECRET, brand: 'visa' } } },
        items: [{ code: SECRET, sku: 'a' }],
      },
      'paths',
    );
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.last()).toMatchObject({
      order: { payment: { card: { brand: 'visa', number: REDACTED } } },
      items: [{ sku: 'a', code: REDACTED }],
    });
  });

  it('redacts pino paths in context fields too', () => {
    const { output, logger } = setup({ redact: ['user.email'] });
    withLogContext({ user: { id: 1, email: SECRET } }, () => logger.info('context'));
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.last()).toMatchObject({ user: { id: 1, email: REDACTED } });
  });

  it('redacts what custom serializers return', () => {
    const { output, logger } = setup({
      serializers: { account: (value) => ({ ...(value as object), token: SECRET }) },
    });
    logger.info({ account: { id: 3 } }, 'serialized');
    expect(output.last()).toMatchObject({ account: { id: 3, token: REDACTED } });
  });
});

describe('request serializer', () => {
  it('writes an allow-list of headers and the path without its query string', () => {
    const { output, logger } = setup();
    logger.info(
      {
        req: {
          method: 'POST',
          url: `/login?token=${SECRET}`,
          headers: {
            host: 'example.test',
            'user-agent': 'curl',
            authorization: SECRET,
            cookie: SECRET,
            'x-internal': SECRET,
          },
          socket: { remoteAddress: '10.0.0.1' },
        },
      },
      'request',
    );
    expect(output.lines[0]).not.toContain(SECRET);
    expect(output.last().req).toEqual({
      method: 'POST',
      path: '/login',
      ip: '10.0.0.1',
      headers: { host: 'example.test', 'user-agent': 'curl' },
    });
  });

  it('writes only the status and content headers of a response', () => {
    const { output, logger } = setup();
    const response = {
      statusCode: 201,
      getHeaders: () => ({ 'content-type': 'text/plain', 'set-cookie': SECRET }),
    };
    logger.info({ res: response }, 'response');
    expect(output.last().res).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'text/plain' },
    });
  });
});

describe('sensitive key spellings', () => {
  it('splits camel, Pascal, snake, kebab and acronym spellings into words', () => {
    expect(splitWords('accessToken')).toEqual(['access', 'token']);
    expect(splitWords('X-API-Key')).toEqual(['x', 'api', 'key']);
    expect(splitWords('APIKey')).toEqual(['api', 'key']);
    expect(splitWords('refresh_token')).toEqual(['refresh', 'token']);
  });

  it('lists the usual spellings of a key', () => {
    expect(spellingsOf('apiKey')).toEqual(
      expect.arrayContaining([
        'apiKey',
        'apikey',
        'api_key',
        'api-key',
        'API_KEY',
        'ApiKey',
        'APIKey',
      ]),
    );
  });
});

describe('redactor', () => {
  const sensitive = sensitiveKeySet(defaultRedactedKeys);
  const redactor = createRedactor(sensitive);
  const plainKey = fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((key) => !sensitive.has(key) && key !== '__proto__');
  const sensitiveKey = fc.constantFrom(...sensitive);
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean());

  it('never leaves a sensitive value at the top, one level down or in headers, and keeps the rest', () => {
    fc.assert(
      fc.property(
        fc.dictionary(plainKey, leaf),
        fc.dictionary(plainKey, fc.dictionary(fc.oneof(plainKey, sensitiveKey), leaf)),
        fc.array(sensitiveKey, { maxLength: 3 }),
        (flat, nested, topSecrets) => {
          const input: Record<string, unknown> = { ...flat, ...nested };
          for (const key of topSecrets) input[key] = SECRET;
          input.client = { headers: Object.fromEntries(topSecrets.map((key) => [key, SECRET])) };
          const before = JSON.stringify(input);
          const output = redactor.redactObject(input);
          expect(JSON.stringify(input)).toBe(before);
          for (const [key, value] of Object.entries(output)) {
            if (sensitive.has(key)) {
              expect(value).toBe(REDACTED);
              continue;
            }
            if (typeof value !== 'object' || value === null) {
              expect(value).toBe(input[key]);
              continue;
            }
            for (const [innerKey, innerValue] of Object.entries(value)) {
              const original = (input[key] as Record<string, unknown>)[innerKey];
              if (sensitive.has(innerKey)) expect(innerValue).toBe(REDACTED);
              else if (innerKey !== 'headers') expect(innerValue).toBe(original);
            }
          }
          expect(JSON.stringify(output)).not.toContain(SECRET);
        },
      ),
    );
  });

  it('returns the very same object when nothing is sensitive', () => {
    fc.assert(
      fc.property(fc.dictionary(plainKey, fc.dictionary(plainKey, leaf)), (input) => {
        expect(redactor.redactObject(input)).toBe(input);
      }),
    );
  });
});
