/**
 * A small orders API on node:http. Every request gets a request id (taken from the
 * client's `x-request-id` or created), every line written while handling it carries that
 * id without passing a logger around, slow operations are warned about, credentials never
 * reach the log, and at shutdown every line is flushed before the process exits on its own.
 *
 *   pnpm --filter @rampart/example-logger start
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '@rampart/errors';
import {
  closeLogger,
  createLogger,
  getLogContext,
  httpRequestLogger,
  setRequestError,
  timed,
  withLogContext,
} from '@rampart/logger';

const logger = createLogger({ name: 'orders-api', level: 'debug' });
const logRequests = httpRequestLogger(logger, { slowMs: 200 });

/** A pretend database: no logger is passed in, yet its lines carry the request id. */
async function findOrder(id: number): Promise<{ id: number; total: number }> {
  await sleep(5);
  logger.debug({ table: 'orders', id }, 'query ran');
  return { id, total: 99.5 };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  response.setHeader('content-type', 'application/json');
  if (pathname === '/orders/42') {
    const order = await timed(logger, 'db.findOrder', () => findOrder(42), { slowMs: 100 });
    // An authenticated user joins the context for the rest of this request.
    await withLogContext({ userId: 'user-7' }, async () => {
      logger.info({ orderId: order.id, session: { token: 'abc123' } }, 'order served');
    });
    response.end(JSON.stringify(order));
  } else if (pathname === '/reports/daily') {
    // Slower than both thresholds: a warning from timed and a slow request line.
    await timed(logger, 'report.build', () => sleep(250), { slowMs: 100 });
    response.end('{"rows":0}');
  } else if (pathname === '/checkout') {
    const error = new UnavailableError('payments are unavailable', {
      details: { retryAfterMs: 30_000 },
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), {
        code: 'ECONNREFUSED',
      }),
    });
    // On the request's own line: warn, since payments being down is an expected, handled failure.
    setRequestError(response, error);
    response.statusCode = error.status;
    response.end(JSON.stringify({ code: error.code }));
  } else {
    response.statusCode = 404;
    response.end('{"code":"E_NOT_FOUND"}');
  }
}

const server = createServer((request, response) => {
  logRequests(request, response, () => {
    handle(request, response).catch((error: unknown) => {
      setRequestError(response, error); // unexpected: the request line is at error
      response.statusCode = 500;
      response.end();
    });
  });
});

async function shutdown(): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  logger.info('server closed');
  // Flushes stdout (and files or pino-pretty, if configured) before the process ends.
  const result = await closeLogger(logger, { timeoutMs: 3_000 });
  console.log(`\nlogger closed: ${result.complete ? 'every line written' : 'lines may be lost'}`);
}
const onTerminate = (): void => void shutdown();
process.once('SIGTERM', onTerminate);

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
logger.info({ url: base }, 'listening');

const calls = [
  {
    path: '/orders/42',
    headers: { 'x-request-id': 'client-abc-123', authorization: 'Bearer s3cr3t' },
  },
  { path: '/reports/daily', headers: {} },
  { path: '/checkout', headers: {} },
  { path: '/nope', headers: {} },
];
const answers = await Promise.all(
  calls.map(async ({ path, headers }) => {
    const answer = await fetch(`${base}${path}`, { headers });
    await answer.text();
    return `${path} → ${answer.status} (x-request-id: ${answer.headers.get('x-request-id')})`;
  }),
);
logger.info({ context: getLogContext() }, 'requests done (no request context out here)');

process.removeListener('SIGTERM', onTerminate);
await shutdown();
console.log(answers.join('\n'));
