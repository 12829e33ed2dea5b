import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError, isRampartError } from '@rampart/errors';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type LoggerSlowOperationEvent, loggerChannels } from './channels.ts';
import { createLogger } from './create-logger.ts';
import { httpRequestLogger } from './http-request-logger.ts';
import { getLogContext } from './log-context.ts';
import { capture } from './test-fixtures/capture.ts';
import { lineCount, listen, serve } from './test-fixtures/http.ts';

describe('httpRequestLogger', () => {
  it('logs one line per request with method, path, status, duration, address and request id', async () => {
    const { url, output, requests } = await serve((_request, response) => {
      response.statusCode = 201;
      response.end('created');
    });
    const answer = await fetch(`${url}/users?password=hunter2`, {
      method: 'POST',
      headers: { 'user-agent': 'test-agent', authorization: 'Bearer secret' },
    });
    await answer.text();
    await lineCount(output, 1);
    const requestId = answer.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests()).toHaveLength(1);
    expect(requests()[0]).toMatchObject({
      level: 30,
      requestId,
      req: {
        method: 'POST',
        path: '/users',
        ip: '127.0.0.1',
        headers: { 'user-agent': 'test-agent' },
      },
      res: { statusCode: 201 },
      durationMs: expect.any(Number),
      msg: expect.stringMatching(/^POST \/users 201 in [\d.]+ ms$/),
    });
    expect(output.lines.join('')).not.toContain('hunter2');
    expect(output.lines.join('')).not.toContain('Bearer secret');
  });

  it('keeps a valid incoming x-request-id, replaces a bad one, and uses genReqId', async () => {
    let counter = 0;
    const { url } = await serve((_request, response) => response.end(), {
      genReqId: () => `generated-${++counter}`,
    });
    const kept = await fetch(url, { headers: { 'x-request-id': 'upstream-7:abc' } });
    const replaced = await fetch(url, { headers: { 'x-request-id': 'evil\tvalue with spaces' } });
    const created = await fetch(url);
    expect(kept.headers.get('x-request-id')).toBe('upstream-7:abc');
    expect(replaced.headers.get('x-request-id')).toBe('generated-1');
    expect(created.headers.get('x-request-id')).toBe('generated-2');
  });

  it('falls back to a random id and logs the request when genReqId or ignore throw', async () => {
    const { url, output, requests } = await serve((_request, response) => response.end(), {
      genReqId: () => {
        throw new Error('generator broke');
      },
      ignore: () => {
        throw new Error('filter broke');
      },
    });
    const answer = await fetch(url);
    await lineCount(output, 1);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests()).toHaveLength(1);
  });

  it('takes the id from another header when asked', async () => {
    const { url } = await serve((_request, response) => response.end(), {
      requestIdHeader: 'X-Correlation-Id',
    });
    const answer = await fetch(url, { headers: { 'x-correlation-id': 'corr-1' } });
    expect(answer.headers.get('x-correlation-id')).toBe('corr-1');
  });

  it('chooses the level from the outcome: 5xx error, 4xx warn, else info', async () => {
    const { url, output, requests } = await serve((request, response) => {
      response.statusCode = Number(request.url?.slice(1));
      response.end();
    });
    for (const status of [200, 302, 404, 503])
      await (await fetch(`${url}/${status}`, { redirect: 'manual' })).text();
    await lineCount(output, 4);
    expect(requests().map((record) => [record.res, record.level])).toEqual([
      [{ statusCode: 200 }, 30],
      [{ statusCode: 302 }, 30],
      [{ statusCode: 404 }, 40],
      [{ statusCode: 503 }, 50],
    ]);
  });

  it('warns about requests slower than slowMs and publishes them', async () => {
    let now = 0;
    const events: LoggerSlowOperationEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as LoggerSlowOperationEvent);
    };
    const { url, output, requests } = await serve(
      (request, response) => {
        now += request.url === '/slow' ? 750 : 20;
        response.end();
      },
      { slowMs: 500, clock: { now: () => now } },
    );
    subscribe(loggerChannels.slowOperation, listener);
    try {
      await fetch(`${url}/fast`);
      await fetch(`${url}/slow`);
      await lineCount(output, 2);
    } finally {
      unsubscribe(loggerChannels.slowOperation, listener);
    }
    expect(requests().map(({ level, durationMs, slow }) => ({ level, durationMs, slow }))).toEqual([
      { level: 30, durationMs: 20, slow: undefined },
      { level: 40, durationMs: 750, slow: true },
    ]);
    expect(events).toEqual([
      { name: 'default', operation: 'HTTP GET', durationMs: 750, slowMs: 500, failed: false },
    ]);
  });

  it('logs an aborted request once, as aborted', async () => {
    let release: () => void = () => {};
    const { url, output, requests } = await serve((_request, response) => {
      release = () => response.end('too late');
    });
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const client = httpRequest({ port, host: '127.0.0.1', path: '/hang' });
      client.on('error', () => resolve());
      client.end();
      setTimeout(() => {
        client.destroy();
        resolve();
      }, 20);
    });
    await lineCount(output, 1);
    release();
    await sleep(5);
    expect(requests()).toHaveLength(1);
    expect(requests()[0]).toMatchObject({
      level: 40,
      aborted: true,
      msg: expect.stringMatching(/^GET \/hang aborted after/),
    });
  });

  it('does not log ignored requests but still gives them an id and a context', async () => {
    const { url, output, requests } = await serve(
      (_request, response) => {
        response.end(String(getLogContext().requestId));
      },
      { ignore: (request) => request.url === '/health' },
    );
    const health = await fetch(`${url}/health`);
    expect(await health.text()).toBe(health.headers.get('x-request-id'));
    await (await fetch(`${url}/orders`)).text();
    await lineCount(output, 1);
    expect(requests().map((record) => (record.req as { path: string }).path)).toEqual(['/orders']);
  });

  it('writes only the allowed headers, and redacts sensitive ones even when allowed', async () => {
    const { url, output, requests } = await serve((_request, response) => response.end(), {
      headers: ['X-Tenant', 'authorization'],
    });
    await fetch(url, { headers: { 'x-tenant': 'acme', authorization: 'Bearer s', accept: 'a' } });
    await lineCount(output, 1);
    expect(requests()[0]?.req).toHaveProperty('headers', {
      'x-tenant': 'acme',
      authorization: '[Redacted]',
    });
  });

  it('reads the client address from X-Forwarded-For only when proxies are trusted', async () => {
    const trusted = await serve((_request, response) => response.end(), { trustProxy: true });
    const untrusted = await serve((_request, response) => response.end());
    const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' };
    await fetch(trusted.url, { headers });
    await fetch(untrusted.url, { headers });
    await lineCount(trusted.output, 1);
    await lineCount(untrusted.output, 1);
    expect(trusted.requests()[0]?.req).toMatchObject({ ip: '203.0.113.9' });
    expect(untrusted.requests()[0]?.req).toMatchObject({ ip: '127.0.0.1' });
  });

  it("names the client as clientIp does, with a hop count or the proxies' networks", async () => {
    const byNetwork = await serve((_request, response) => response.end(), {
      trustProxy: ['loopback', '10.0.0.0/8'],
    });
    const byHops = await serve((_request, response) => response.end(), { trustProxy: 1 });
    const headers = { 'x-forwarded-for': '6.6.6.6, ::ffff:203.0.113.9, 10.0.0.2' };
    await fetch(byNetwork.url, { headers });
    await fetch(byHops.url, { headers });
    await lineCount(byNetwork.output, 1);
    await lineCount(byHops.output, 1);
    expect(byNetwork.requests()[0]?.req).toMatchObject({ ip: '203.0.113.9' });
    expect(byHops.requests()[0]?.req).toMatchObject({ ip: '10.0.0.2' });
    expect(() => httpRequestLogger(createLogger(), { trustProxy: ['10.0.0.0/40'] })).toThrow(
      /`trustProxy`/,
    );
    expect(() => httpRequestLogger(createLogger(), { trustProxy: -1 })).toThrow(ConfigurationError);
  });

  it('uses Express route, mount path, original URL and req.ip when they are there', async () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    const logRequests = httpRequestLogger(logger);
    // What Express passes: its request carries originalUrl, baseUrl, ip and (after routing) route.
    const url = await listen((request, response) => {
      const expressRequest = Object.assign(request, {
        originalUrl: '/api/users/42?expand=1',
        baseUrl: '/api',
        ip: '198.51.100.4',
      });
      logRequests(expressRequest, response, () => {
        Object.assign(expressRequest, { route: { path: '/users/:id' } });
        response.end();
      });
    });
    await fetch(`${url}/users/42`);
    await lineCount(output, 1);
    expect(output.last().req).toMatchObject({
      path: '/api/users/42',
      route: '/api/users/:id',
      ip: '198.51.100.4',
    });
  });

  it('writes the request id in the fields for a plain pino logger', async () => {
    const output = capture();
    const logRequests = httpRequestLogger(pino({}, output.stream));
    const url = await listen((request, response) =>
      logRequests(request, response, () => response.end()),
    );
    const answer = await fetch(url);
    await lineCount(output, 1);
    expect(output.last()).toMatchObject({ requestId: answer.headers.get('x-request-id') });
  });

  it('rejects bad options with a ConfigurationError naming them', () => {
    const logger = createLogger({ destination: { stream: { write() {} } } });
    let caught: unknown;
    try {
      httpRequestLogger(logger, {
        slowMs: -1,
        requestIdHeader: 'bad header',
        genReqId: 1,
      } as never);
    } catch (error) {
      caught = error;
    }
    expect(isRampartError(caught, 'E_CONFIG')).toBe(true);
    expect((caught as Error).message).toContain('`slowMs`');
    expect((caught as Error).message).toContain('`requestIdHeader`');
    expect((caught as Error).message).toContain('`genReqId`');
  });
});
