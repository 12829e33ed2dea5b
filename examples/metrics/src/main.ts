/**
 * A small node:http service instrumented with @rampart/metrics: OpenTelemetry HTTP server
 * metrics labelled by route template (never the raw path), a bound counter on the hot path,
 * a tracked pipeline, and a /metrics endpoint that answers Prometheus text or OpenMetrics
 * depending on what the scraper accepts. It starts, calls itself, prints the scrape, and exits.
 *
 * Run: pnpm --filter @rampart/example-metrics start
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotFoundError, RateLimitedError, toProblemResponse } from '@rampart/errors';
import { createMetrics, httpServerMetrics } from '@rampart/metrics';

const metrics = createMetrics({ defaultLabels: { service: 'example' } });

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

const orders = metrics.counter({
  name: 'orders_total',
  help: 'Orders placed.',
  labelNames: ['channel'],
});
const webOrders = orders.bind({ channel: 'web' }); // bound once: no label lookup per order

const routes: readonly Route[] = [
  {
    method: 'GET',
    template: '/users/:id',
    pattern: /^\/users\/\w+$/,
    async handle(request, response) {
      const id = request.url?.split('/')[2];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    },
  },
  {
    method: 'POST',
    template: '/orders',
    pattern: /^\/orders$/,
    async handle(_request, response) {
      // The pipeline duration histogram and active-pipelines gauge, for any unit of work.
      const order = await metrics.track('place-order', async (signal) => {
        signal.throwIfAborted();
        return { id: 'order-1' };
      });
      webOrders.inc();
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(order));
    },
  },
  {
    method: 'GET',
    template: '/reports',
    pattern: /^\/reports$/,
    async handle() {
      throw new RateLimitedError('Too many report requests', { retryAfterMs: 30_000 });
    },
  },
];

const routeFor = (request: IncomingMessage): Route | undefined =>
  routes.find((route) => route.method === request.method && route.pattern.test(request.url ?? ''));

const observe = httpServerMetrics(metrics, { routeOf: (request) => routeFor(request)?.template });
const scrape = metrics.handler();

const server = createServer((request, response) => {
  if (request.url === '/metrics') {
    scrape(request, response);
    return;
  }
  observe(request, response);
  const route = routeFor(request);
  const handled = route
    ? route.handle(request, response)
    : Promise.reject(new NotFoundError(`No route for ${request.method} ${request.url}`));
  handled.catch((error: unknown) => {
    observe.recordError(response, error); // error_type="E_RATE_LIMITED", "E_NOT_FOUND", …
    const problem = toProblemResponse(error, { instance: request.url ?? '/' });
    response.writeHead(problem.status, problem.headers).end(problem.body);
  });
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

for (const [method, path] of [
  ['GET', '/users/1'],
  ['GET', '/users/2'],
  ['POST', '/orders'],
  ['GET', '/reports'],
  ['GET', '/nowhere/42'],
] as const) {
  const response = await fetch(`${base}${path}`, { method });
  await response.arrayBuffer();
  console.log(`${method} ${path} → ${response.status}`);
}

const plain = await fetch(`${base}/metrics`);
await plain.arrayBuffer();
console.log(`\nGET /metrics (no Accept)          → ${plain.headers.get('content-type')}`);

// What Prometheus sends: it prefers OpenMetrics.
const openMetrics = await fetch(`${base}/metrics`, {
  headers: {
    accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  },
});
console.log(`GET /metrics (Prometheus' Accept) → ${openMetrics.headers.get('content-type')}\n`);
const text = await openMetrics.text();
// The full scrape, with only the +Inf bucket of the HTTP histogram to keep it short.
console.log(
  text
    .split('\n')
    .filter(
      (line) =>
        !/^http_server_request_duration_seconds_bucket\{le="(0\.0|0\.[1-9]|[1-9])/.test(line),
    )
    .join('\n'),
);

server.close();
server.closeAllConnections();
await metrics.close();
