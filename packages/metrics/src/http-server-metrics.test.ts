import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotFoundError, RateLimitedError } from '@rampart/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMetrics,
  HTTP_SERVER_DURATION_BUCKETS,
  httpServerMetrics,
  type Metrics,
  UNMATCHED_ROUTE,
} from './index.ts';
import { deferred } from './test-support/deferred.ts';
import { configurationErrorOf } from './test-support/errors.ts';
import type { ParsedFamily } from './test-support/exposition-parser.ts';
import { samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { manualClock } from './test-support/manual-clock.ts';
import { scrape } from './test-support/scrape.ts';

const DURATION = 'http_server_request_duration_seconds';
const ACTIVE = 'http_server_active_requests';
const servers: Server[] = [];

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function send(url: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Resolves after the server saw the response close (the preset's listener ran first). */
function closed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => response.once('close', () => setImmediate(resolve)));
}

function durationLabels(
  method: string,
  route: string,
  status: string,
  errorType = '',
): Record<string, string> {
  return {
    http_request_method: method,
    http_route: route,
    http_response_status_code: status,
    error_type: errorType,
  };
}

/** The `_count` of the request-duration series of `labels`. */
function durationCount(
  families: Map<string, ParsedFamily>,
  labels: Record<string, string>,
): number {
  return sampleValue(families, DURATION, `${DURATION}_count`, labels);
}

/** The `_sum` of the request-duration series of `labels`. */
function durationSum(families: Map<string, ParsedFamily>, labels: Record<string, string>): number {
  return sampleValue(families, DURATION, `${DURATION}_sum`, labels);
}

describe('httpServerMetrics', () => {
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  it('records duration by method, route template and status, with OpenTelemetry buckets', async () => {
    const clock = manualClock();
    const metrics = createMetrics({ clock });
    const observe = httpServerMetrics(metrics, {
      routeOf: (request) => (request.url?.startsWith('/users/') ? '/users/:id' : undefined),
    });
    const done: Promise<void>[] = [];
    const url = await serve((request, response) => {
      observe(request, response);
      done.push(closed(response));
      clock.advance(request.url === '/users/2' ? 300 : 60);
      response.statusCode = request.url === '/missing' ? 404 : 200;
      response.end('ok');
    });
    await send(`${url}/users/1`);
    await send(`${url}/users/2`, 'POST');
    await send(`${url}/missing`);
    await Promise.all(done);
    const families = await scrape(metrics);
    expect(families.get(DURATION)?.type).toBe('histogram');
    const les = samplesOf(
      families,
      DURATION,
      `${DURATION}_bucket`,
      durationLabels('GET', '/users/:id', '200'),
    );
    expect(les.map((sample) => sample.labels.le)).toEqual([
      ...HTTP_SERVER_DURATION_BUCKETS.map(String),
      '+Inf',
    ]);
    expect(durationSum(families, durationLabels('GET', '/users/:id', '200'))).toBe(0.06);
    expect(durationSum(families, durationLabels('POST', '/users/:id', '200'))).toBe(0.3);
    expect(durationCount(families, durationLabels('GET', UNMATCHED_ROUTE, '404'))).toBe(1);
  });

  it('never labels with the raw path: requests without a route template share one route value', async () => {
    const metrics = createMetrics();
    const observe = httpServerMetrics(metrics);
    const done: Promise<void>[] = [];
    const url = await serve((request, response) => {
      observe(request, response);
      done.push(closed(response));
      response.end();
    });
    for (const id of [1, 2, 3, 4]) await send(`${url}/orders/${id}`);
    await Promise.all(done);
    const families = await scrape(metrics);
    const routes = samplesOf(families, DURATION, `${DURATION}_count`).map(
      (sample) => sample.labels.http_route,
    );
    expect(routes).toEqual([UNMATCHED_ROUTE]);
    expect(durationCount(families, durationLabels('GET', UNMATCHED_ROUTE, '200'))).toBe(4);
  });

  it('reads Express’s route template, and survives a routeOf that throws or returns nothing useful', async () => {
    const metrics = createMetrics();
    const express = httpServerMetrics(metrics);
    const broken = httpServerMetrics(createMetrics(), {
      routeOf: () => {
        throw new Error('router exploded');
      },
    });
    const done: Promise<void>[] = [];
    const url = await serve((request, response) => {
      express(request, response);
      broken(request, response);
      done.push(closed(response));
      Object.assign(request, { baseUrl: '/api', route: { path: '/users/:id' } });
      response.end();
    });
    await send(`${url}/api/users/7`);
    await Promise.all(done);
    expect(
      durationCount(await scrape(metrics), durationLabels('GET', '/api/users/:id', '200')),
    ).toBe(1);
  });

  it('labels unknown methods _OTHER, unless they are declared known', async () => {
    const metrics = createMetrics();
    const strict = httpServerMetrics(metrics);
    const lenient = createMetrics();
    const withWebDav = httpServerMetrics(lenient, { knownMethods: ['GET', 'PROPFIND'] });
    const done: Promise<void>[] = [];
    const url = await serve((request, response) => {
      strict(request, response);
      withWebDav(request, response);
      done.push(closed(response));
      response.end();
    });
    await send(url, 'PROPFIND');
    await send(url, 'DELETE');
    await Promise.all(done);
    const families = await scrape(metrics);
    expect(durationCount(families, durationLabels('_OTHER', UNMATCHED_ROUTE, '200'))).toBe(1);
    expect(durationCount(families, durationLabels('DELETE', UNMATCHED_ROUTE, '200'))).toBe(1);
    const webDav = await scrape(lenient);
    expect(durationCount(webDav, durationLabels('PROPFIND', UNMATCHED_ROUTE, '200'))).toBe(1);
    expect(durationCount(webDav, durationLabels('_OTHER', UNMATCHED_ROUTE, '200'))).toBe(1);
  });

  it('labels error_type with the recorded Rampart code, or the status of a 5xx', async () => {
    const metrics = createMetrics();
    const observe = httpServerMetrics(metrics, { routeOf: (request) => request.url });
    const done: Promise<void>[] = [];
    const next = vi.fn();
    const url = await serve((request, response) => {
      observe(request, response);
      done.push(closed(response));
      if (request.url === '/limited') {
        observe.recordError(response, new RateLimitedError('slow down', { retryAfterMs: 1000 }));
        response.statusCode = 429;
      } else if (request.url === '/crash') {
        observe.errorHandler(new Error('boom'), request, response, next);
        response.statusCode = 500;
      } else if (request.url === '/unavailable') {
        response.statusCode = 503;
      }
      response.end();
    });
    for (const path of ['/limited', '/crash', '/unavailable', '/ok']) await send(`${url}${path}`);
    await Promise.all(done);
    const families = await scrape(metrics);
    const count = (route: string, status: string, errorType: string): number =>
      durationCount(families, durationLabels('GET', route, status, errorType));
    expect(count('/limited', '429', 'E_RATE_LIMITED')).toBe(1);
    expect(count('/crash', '500', 'E_INTERNAL')).toBe(1);
    expect(count('/unavailable', '503', '503')).toBe(1);
    expect(count('/ok', '200', '')).toBe(1);
    expect(next).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
  });

  it('counts active requests while they run, and labels requests the client abandoned as aborted', async () => {
    const metrics = createMetrics();
    const observe = httpServerMetrics(metrics);
    let serverResponse: ServerResponse | undefined;
    const arrived = deferred<void>();
    const url = await serve((request, response) => {
      observe(request, response, () => {});
      observe(request, response);
      serverResponse = response;
      arrived.resolve();
    });
    const client = httpRequest(url, { agent: false });
    client.on('error', () => {});
    client.end();
    await arrived.promise;
    const during = await scrape(metrics);
    expect(sampleValue(during, ACTIVE, ACTIVE, { http_request_method: 'GET' })).toBe(1);
    const gone = closed(serverResponse as ServerResponse);
    client.destroy();
    await gone;
    const after = await scrape(metrics);
    expect(sampleValue(after, ACTIVE, ACTIVE, { http_request_method: 'GET' })).toBe(0);
    expect(durationCount(after, durationLabels('GET', UNMATCHED_ROUTE, '', 'aborted'))).toBe(1);
  });

  it('shares its metrics when applied twice to one instance', () => {
    const metrics = createMetrics();
    httpServerMetrics(metrics);
    httpServerMetrics(metrics, { buckets: HTTP_SERVER_DURATION_BUCKETS });
    expect(
      metrics.registry.getMetricsAsArray().filter((metric) => metric.name === DURATION),
    ).toHaveLength(1);
    expect(() => httpServerMetrics(metrics, { buckets: [1, 2] })).toThrow(
      /already registered with buckets/,
    );
  });

  it('rejects invalid options and objects that are not metrics instances', () => {
    const metrics = createMetrics();
    expect(
      configurationErrorOf(() =>
        httpServerMetrics(metrics, {
          routeOf: '/x' as unknown as () => string,
          knownMethods: [''],
        }),
      ).message,
    ).toBe(
      'httpServerMetrics: `routeOf` must be a function (got "/x"); `knownMethods[0]` must be a method name (got "")',
    );
    expect(configurationErrorOf(() => httpServerMetrics({} as Metrics)).message).toBe(
      'httpServerMetrics: `metrics` must be an instance made by createMetrics()',
    );
  });

  it('works as Connect-style middleware that calls next', () => {
    const metrics = createMetrics();
    const observe = httpServerMetrics(metrics);
    const next = vi.fn();
    const response = { once: vi.fn() } as unknown as ServerResponse;
    observe({ method: 'GET' } as IncomingMessage, response, next);
    expect(next).toHaveBeenCalledWith();
    expect(response.once).toHaveBeenCalledWith('close', expect.any(Function));
  });

  it('labels a recorded NotFoundError with its code like any Rampart error', async () => {
    const metrics = createMetrics();
    const observe = httpServerMetrics(metrics);
    const done: Promise<void>[] = [];
    const url = await serve((request, response) => {
      observe(request, response);
      done.push(closed(response));
      observe.recordError(response, new NotFoundError('nope'));
      response.statusCode = 404;
      response.end();
    });
    await send(url);
    await Promise.all(done);
    expect(
      durationCount(
        await scrape(metrics),
        durationLabels('GET', UNMATCHED_ROUTE, '404', 'E_NOT_FOUND'),
      ),
    ).toBe(1);
  });
});
