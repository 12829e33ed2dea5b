import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics, type Metrics } from './index.ts';
import { acceptsGzip } from './internal/scrape-handler.ts';
import { configurationErrorOf } from './test-support/errors.ts';
import { parseExposition, sampleValue } from './test-support/exposition-parser.ts';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

const servers: Server[] = [];

async function serve(
  metrics: Metrics,
  options?: Parameters<Metrics['handler']>[0],
): Promise<string> {
  const server = createServer(metrics.handler(options));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

function fetchRaw(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('metrics.handler()', () => {
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  it('serves the Prometheus text format by default, uncached', async () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(3);
    const reply = await fetchRaw(await serve(metrics));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers.vary).toBe('Accept, Accept-Encoding');
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(sampleValue(parseExposition(reply.body.toString(), 'prometheus'), 'jobs_total')).toBe(3);
  });

  it('serves OpenMetrics to a scraper that prefers it', async () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'jobs_total', help: 'Jobs.' }).inc();
    const reply = await fetchRaw(await serve(metrics), 'GET', {
      accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    });
    expect(reply.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const families = parseExposition(reply.body.toString(), 'openmetrics');
    expect(sampleValue(families, 'jobs', 'jobs_total')).toBe(1);
  });

  it('gzips large scrapes for clients that accept it, and can be told not to', async () => {
    const metrics = createMetrics();
    const gauge = metrics.gauge({ name: 'g', help: 'G.', labelNames: ['k'] });
    for (let index = 0; index < 100; index++) gauge.set({ k: `key-${index}` }, index);
    const url = await serve(metrics);
    const zipped = await fetchRaw(url, 'GET', { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(zipped.body).toString();
    expect(sampleValue(parseExposition(text, 'prometheus'), 'g', 'g', { k: 'key-99' })).toBe(99);
    const plainUrl = await serve(metrics, { compress: false });
    const plain = await fetchRaw(plainUrl, 'GET', { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD with headers only, and other methods with 405', async () => {
    const metrics = createMetrics();
    const url = await serve(metrics);
    const head = await fetchRaw(url, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const post = await fetchRaw(url, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('records its render time in a self-metric seen by the next scrape', async () => {
    const metrics = createMetrics();
    const url = await serve(metrics);
    await fetchRaw(url);
    const families = parseExposition((await fetchRaw(url)).body.toString(), 'prometheus');
    expect(
      sampleValue(
        families,
        'rampart_metrics_render_duration_seconds',
        'rampart_metrics_render_duration_seconds_count',
        {
          format: 'prometheus',
        },
      ),
    ).toBe(1);
  });

  it('answers a failed rendering with a 500 problem that leaks nothing', async () => {
    const metrics = createMetrics();
    vi.spyOn(metrics.registry, 'getMetricsAsArray').mockImplementation(() => {
      throw new Error('secret registry detail');
    });
    const reply = await fetchRaw(await serve(metrics));
    expect(reply.status).toBe(500);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body.toString()).not.toMatch(/secret/);
    expect(JSON.parse(reply.body.toString())).toMatchObject({ status: 500, instance: '/metrics' });
  });

  it('rejects unknown handler options', () => {
    const metrics = createMetrics();
    expect(
      configurationErrorOf(() =>
        metrics.handler({ gzip: true } as unknown as { compress: boolean }),
      ).message,
    ).toBe('metrics.handler: `gzip` is not a known option');
  });
});

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['*', true],
    ['*;q=0.1, gzip;q=0', false],
    ['identity', false],
    ['x-gzip', true],
  ])('reads %j as %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
