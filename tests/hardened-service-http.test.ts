/**
 * The HTTP contract of the hardened service (examples/hardened-service), in memory and in
 * process: security headers, request ids, routing errors, per-client rate limits behind a
 * trusted proxy, body limits, the admin surface, deadlines, parser errors, the cache's
 * `X-Cache` / `Age`, and configuration errors.
 */
import { connect } from 'node:net';
import { isRampartError } from '@rampart/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientAddressResolver } from '../examples/hardened-service/src/client-address.ts';
import { configFromEnvironment } from '../examples/hardened-service/src/environment.ts';
import { createServiceHealth } from '../examples/hardened-service/src/health.ts';
import {
  parseServiceConfig,
  type RunningService,
  type ServiceOptions,
  securityHeaders,
  startService,
} from '../examples/hardened-service/src/index.ts';

const ADMIN_TOKEN = 'a-long-enough-admin-token-for-tests';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
}

async function start(options: ServiceOptions = {}): Promise<{
  service: RunningService;
  logs: LogLine[];
}> {
  const logs: LogLine[] = [];
  const service = await startService({
    port: 0,
    processMetrics: false,
    upstream: { latencyMs: 1, jitterMs: 0, errorRate: 0 },
    logDestination: { stream: { write: (line: string) => logs.push(JSON.parse(line)) } },
    ...options,
  });
  return { service, logs };
}

/** Sends raw bytes and resolves with the raw answer once the server closes the connection. */
function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer)).on('error', reject);
  });
}

describe('hardened service over HTTP', () => {
  let service: RunningService;
  let logs: LogLine[];

  beforeAll(async () => {
    ({ service, logs } = await start({ trustedProxies: ['127.0.0.1'], adminToken: ADMIN_TOKEN }));
  });
  afterAll(() => service?.close());

  const get = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${service.url}${path}`, init);

  it('sends the security headers on answers and on problems', async () => {
    for (const response of [await get('/api/products/p-1'), await get('/nowhere')]) {
      for (const [name, value] of Object.entries(securityHeaders)) {
        expect(response.headers.get(name), name).toBe(value);
      }
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('gives every request an id, echoes it, and logs it', async () => {
    const given = await get('/api/products/p-2', { headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await get('/api/products/p-2');
    expect(made.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    const line = logs.find((entry) => entry.requestId === 'trace-42');
    expect(line?.msg).toMatch(/^GET \/api\/products\/p-2 200 in [\d.]+ ms$/);
  });

  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    const missing = await get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ code: 'E_NOT_FOUND', instance: '/nowhere' });
    const wrong = await get('/api/quotes', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await get('/api/products/p-1', { method: 'HEAD' })).status).toBe(200);
  });

  it('serves products through the cache: miss, then hit, with their age', async () => {
    const first = await get('/api/products/p-30');
    expect(first.headers.get('x-cache')).toBe('miss');
    const second = await get('/api/products/p-30');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(await second.json()).toEqual(await first.json());
    expect((await get('/api/products/p-999')).status).toBe(404);
    expect((await get('/api/products/not%20an%20id')).status).toBe(400);
  });

  it('limits each client behind the trusted proxy to 60 a minute, with draft-10 headers', async () => {
    const as = (ip: string): RequestInit => ({ headers: { 'x-forwarded-for': `10.0.0.9, ${ip}` } });
    const first = await get('/api/products/p-3', as('192.0.2.1'));
    expect(first.headers.get('ratelimit-policy')).toBe('"minute";q=60;w=60, "hour";q=1000;w=3600');
    expect(first.headers.get('ratelimit')).toMatch(/^"minute";r=59;t=1, "hour";r=999;t=\d+$/);
    for (let call = 2; call <= 60; call++) {
      expect((await get('/api/products/p-3', as('192.0.2.1'))).status).toBe(200);
    }
    const limited = await get('/api/products/p-3', as('192.0.2.1'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({
      code: 'E_RATE_LIMITED',
      'violated-policies': ['minute'],
    });
    // The address the client wrote itself (10.0.0.9) is not believed; another client is not limited.
    expect((await get('/api/products/p-3', as('192.0.2.2'))).status).toBe(200);
    // Health checks and scrapes are never limited.
    expect((await get('/healthz', as('192.0.2.1'))).status).toBe(200);
  });

  it('accepts only JSON bodies within the size limit', async () => {
    const post = (body: string, type = 'application/json'): Promise<Response> =>
      get('/api/quotes', { method: 'POST', headers: { 'content-type': type }, body });
    const quote = await post(JSON.stringify({ productId: 'p-4', quantity: 3 }));
    expect(quote.status).toBe(200);
    const priced = (await quote.json()) as { unitPriceCents: number; totalCents: number };
    expect(priced.totalCents).toBe(3 * priced.unitPriceCents);
    expect((await post('{}', 'text/plain')).status).toBe(415);
    expect((await post('{"productId":')).status).toBe(400);
    const invalid = await post(JSON.stringify({ productId: 'p-4', quantity: 0, extra: 1 }));
    expect(invalid.status).toBe(400);
    const problem = (await invalid.json()) as { issues: { path: string }[] };
    expect(problem.issues.map((issue) => issue.path).sort()).toEqual(['extra', 'quantity']);
    const large = await post(JSON.stringify({ productId: 'p-4', padding: 'x'.repeat(20_000) }));
    expect(large.status).toBe(413);
    expect(large.headers.get('connection')).toBe('close');
  });

  it('rejects an oversized body sent in chunks without reading all of it', async () => {
    const head =
      'POST /api/quotes HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n' +
      'transfer-encoding: chunked\r\n\r\n';
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    const answer = await raw(service.url, head + chunk + chunk);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"code":"E_PAYLOAD_TOO_LARGE"');
  });

  it('answers malformed requests and oversized headers with problems, not bare errors', async () => {
    const garbage = await raw(service.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('x-content-type-options: nosniff');
    expect(garbage).toContain('"code":"E_VALIDATION"');
    const huge = await raw(
      service.url,
      `GET /healthz HTTP/1.1\r\nhost: test\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('guards the admin surface with the bearer token', async () => {
    const denied = await get('/admin/status', { headers: { authorization: 'Bearer wrong' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="admin"');
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const status = await get('/admin/status', { headers: auth });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ breaker: { name: 'catalog', state: 'closed' } });
    const put = (body: unknown): Promise<Response> =>
      get('/admin/upstream', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ errorRate: 2 })).status).toBe(400);
    const changed = await put({ latencyMs: 2 });
    expect(await changed.json()).toMatchObject({ settings: { latencyMs: 2, outage: 'none' } });
    expect(service.upstream.settings().latencyMs).toBe(2);
    expect(logs.some((line) => line.msg === 'upstream settings changed by an admin')).toBe(true);
  });

  it('reports readiness and liveness as health+json, and draining', async () => {
    const live = await get('/healthz');
    expect(live.headers.get('content-type')).toBe('application/health+json');
    expect(await live.json()).toEqual({ status: 'pass' });
    const ready = (await (await get('/readyz')).json()) as {
      status: string;
      checks: Record<string, { status: string; output?: string }[]>;
    };
    expect(ready.status).toBe('pass');
    expect(Object.keys(ready.checks)).toEqual(['upstream', 'cache']); // no Redis configured
    expect(ready.checks.upstream?.[0]).toMatchObject({ status: 'pass', output: '1 of 1 closed' });
    const { health, eventLoop } = createServiceHealth({
      redis: undefined,
      breaker: { name: 'upstream', state: 'closed' },
      cache: { stats: () => ({ l2: { state: 'absent' } }) } as never,
    });
    health.markShuttingDown();
    expect((await health.check('readiness')).status).toBe('fail');
    expect((await health.check('liveness')).status).toBe('pass');
    eventLoop.dispose();
  });

  it('exposes RED metrics by route template, never by raw path', async () => {
    const scrape = await (await get('/metrics')).text();
    expect(scrape).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*http_route="\/api\/products\/:id"/,
    );
    expect(scrape).not.toContain('http_route="/api/products/p-1"');
    expect(scrape).toContain('rampart_rate_limiter_decisions_total{');
  });
});

describe('hardened service deadlines and outages', () => {
  it('fails a request past its deadline with 504 instead of hanging', async () => {
    const { service } = await start({
      requestDeadlineMs: 200,
      upstream: { latencyMs: 1, jitterMs: 0, errorRate: 0, outage: 'timeouts' },
    });
    try {
      const started = performance.now();
      const response = await fetch(`${service.url}/api/products/p-5`);
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ code: 'E_TIMEOUT' });
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await service.close();
    }
  });

  it('serves a stale copy while the upstream is down, then fails fast once the breaker opens', async () => {
    const { service } = await start({
      cache: { ttlMs: 50, softTimeoutMs: 20, hardTimeoutMs: 1_000 },
      breaker: { volumeThreshold: 2, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 },
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      const url = `${service.url}/api/products`;
      expect((await fetch(`${url}/p-6`)).headers.get('x-cache')).toBe('miss');
      service.upstream.update({ outage: 'errors' });
      await new Promise((resolve) => setTimeout(resolve, 60));
      const stale = await fetch(`${url}/p-6`);
      expect(stale.status).toBe(200);
      expect(stale.headers.get('x-cache')).toBe('stale');
      const uncached = await fetch(`${url}/p-7`);
      expect([502, 503]).toContain(uncached.status);
      const open = await fetch(`${url}/p-8`);
      expect(open.status).toBe(503);
      expect(await open.json()).toMatchObject({ code: 'E_CIRCUIT_OPEN' });
      expect(Number(open.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
  });
});

describe('hardened service configuration', () => {
  it('names every invalid option', () => {
    const error = (() => {
      try {
        parseServiceConfig({
          port: -1,
          adminToken: 'short',
          redisUrl: 'http://x',
          trustedProxies: ['proxy'],
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isRampartError(error, 'E_CONFIG')).toBe(true);
    const message = (error as Error).message;
    for (const field of ['port', 'adminToken', 'redisUrl', 'trustedProxies[0]']) {
      expect(message).toContain(`\`${field}\``);
    }
  });

  it('reads the environment, naming malformed variables', () => {
    expect(
      configFromEnvironment({
        PORT: '8080',
        REDIS_CLUSTER_NODES: '10.0.0.1:7000, [::1]:7001',
        UPSTREAM_OUTAGE: 'errors',
        UPSTREAM_ERROR_RATE: '0.5',
        TRUSTED_PROXIES: '10.0.0.1,10.0.0.2',
        CACHE_TTL_MS: '',
      }),
    ).toEqual({
      port: 8080,
      redisClusterNodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      trustedProxies: ['10.0.0.1', '10.0.0.2'],
      upstream: { errorRate: 0.5, outage: 'errors' },
    });
    expect(() => configFromEnvironment({ PORT: 'eighty', REDIS_CLUSTER_NODES: 'nope' })).toThrow(
      /`PORT` must be a whole number.*`REDIS_CLUSTER_NODES` must be comma-separated host:port pairs/s,
    );
  });

  it('believes X-Forwarded-For only from trusted proxies, read from the right', () => {
    const resolve = createClientAddressResolver(['10.0.0.1', '10.0.0.2']);
    const request = (peer: string, forwarded?: string) =>
      ({
        socket: { remoteAddress: peer },
        headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
      }) as never;
    expect(resolve(request('203.0.113.9', '1.2.3.4'))).toBe('203.0.113.9');
    expect(resolve(request('::ffff:10.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2'))).toBe(
      '198.51.100.7',
    );
    expect(resolve(request('10.0.0.1', 'garbage, 198.51.100.7'))).toBe('198.51.100.7');
    expect(resolve(request('10.0.0.1', '198.51.100.7, garbage'))).toBe('10.0.0.1');
    expect(resolve(request('10.0.0.1'))).toBe('10.0.0.1');
  });
});
