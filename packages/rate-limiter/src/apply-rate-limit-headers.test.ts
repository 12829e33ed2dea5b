import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { applyRateLimitHeaders } from './apply-rate-limit-headers.ts';
import { createRateLimiter } from './index.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';

const START = 1_750_000_020_000;

/** Serves one request with `handle` on a real node:http server and returns what the client got. */
async function serveOnce(
  handle: Parameters<typeof createServer>[1],
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/' });
    request.end();
    const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
    response.resume();
    await once(response, 'end');
    return { status: response.statusCode ?? 0, headers: response.headers };
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

describe('applyRateLimitHeaders', () => {
  it('sets every header of rateLimitHeaders on a node:http response, kept by writeHead(429)', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'minute', limit: 1, windowMs: 60_000 }],
      clock: { now: () => START },
    });
    await limiter.consume('a');
    const decision = await limiter.consume('a');
    let returned: Record<string, string> = {};
    const { status, headers } = await serveOnce((_request, response) => {
      returned = applyRateLimitHeaders(response, decision, { format: 'both' });
      response.writeHead(429, { 'content-type': 'application/problem+json' }).end('{}');
    });
    expect(status).toBe(429);
    expect(returned).toEqual(rateLimitHeaders(decision, { format: 'both' }));
    expect(Object.keys(returned)).toContain('retry-after');
    for (const [name, value] of Object.entries(returned)) {
      if (name !== 'x-ratelimit-reset') expect(headers[name]).toBe(value);
    }
  });

  it('replaces earlier values of the same headers', () => {
    const set = new Map<string, string>([['ratelimit', 'stale']]);
    const limiter = createRateLimiter({ clock: { now: () => START } });
    return limiter.consume('a').then((decision) => {
      applyRateLimitHeaders({ setHeader: (name, value) => set.set(name, value) }, decision);
      expect(set.get('ratelimit')).toBe(rateLimitHeaders(decision).ratelimit);
    });
  });

  it('refuses a response without setHeader or with headers sent, naming the field', async () => {
    const decision = await createRateLimiter({ clock: { now: () => START } }).consume('a');
    for (const bad of [undefined, null, {}, { setHeader: 'no' }]) {
      expect(() => applyRateLimitHeaders(bad as never, decision)).toThrow(ValidationError);
    }
    const calls: string[] = [];
    expect(() =>
      applyRateLimitHeaders(
        { headersSent: true, setHeader: (name: string) => calls.push(name) },
        decision,
      ),
    ).toThrow(/`response.headersSent` must be false/);
    expect(calls).toEqual([]);
    for (const bad of [undefined, null, {}, 'allowed']) {
      expect(() =>
        applyRateLimitHeaders({ setHeader: (name: string) => calls.push(name) }, bad as never),
      ).toThrow(/`decision`/);
    }
    expect(calls).toEqual([]);
  });
});
