/**
 * A small node:http JSON API whose every failure is a Rampart error: validation problems
 * with the fields named, a custom code, a 404, and an unexpected crash that reaches the
 * client as a bare 500 while the full error (with its cause) goes to the error reporter.
 * It starts, calls itself, prints what a client sees, and exits.
 *
 * Run: pnpm --filter @rampart/example-errors start
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createErrorReporter,
  defineError,
  deserializeError,
  fromZodError,
  NotFoundError,
  serializeError,
  toProblemResponse,
} from '@rampart/errors';
import * as z from 'zod';

const PaymentDeclinedError = defineError({
  code: 'E_PAYMENT_DECLINED',
  status: 402,
  title: 'Payment Declined',
});

const reporter = createErrorReporter({
  handlers: [
    (error, context) => {
      const { name, code, message, cause } = serializeError(error);
      console.log(
        `  [reporter] ${name} ${code} "${message}" at ${String(context.path)}`,
        cause ?? '',
      );
    },
  ],
});

const users = new Map([['1', { id: '1', email: 'ada@example.com' }]]);
const newUser = z.strictObject({ email: z.email(), age: z.int().min(13) });

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return JSON.parse(text || '{}');
}

async function route(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'POST' && url.pathname === '/users') {
    const input = await readJson(request);
    const parsed = newUser.safeParse(input);
    if (!parsed.success) throw fromZodError(parsed.error, { input });
    return { status: 201, body: parsed.data };
  }
  const userId = /^\/users\/(\w+)$/.exec(url.pathname)?.[1];
  if (userId !== undefined) {
    const user = users.get(userId);
    if (user === undefined) throw new NotFoundError(`No user ${userId}`, { details: { userId } });
    return { status: 200, body: user };
  }
  if (url.pathname === '/payments') {
    throw new PaymentDeclinedError('The card has expired', { details: { reason: 'expired_card' } });
  }
  if (url.pathname === '/crash') {
    const config = undefined as unknown as { databaseUrl: string };
    return { status: 200, body: config.databaseUrl }; // a TypeError: a bug, not a client error
  }
  throw new NotFoundError(`No route ${url.pathname}`);
}

const server = createServer((request, response) => {
  route(request).then(
    ({ status, body }) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    async (error: unknown) => {
      const { status, headers, body } = toProblemResponse(error, { instance: request.url });
      if (status >= 500) await reporter.report(error, { path: request.url });
      response.writeHead(status, headers).end(body);
    },
  );
});

server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const calls: [string, string, unknown?][] = [
  ['GET', '/users/1'],
  ['GET', '/users/7'],
  ['POST', '/users', { email: 'not-an-email', age: 9, admin: true }],
  ['GET', '/payments'],
  ['GET', '/crash'],
];
for (const [method, path, body] of calls) {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  console.log(`${method} ${path} → ${response.status} ${response.headers.get('content-type')}`);
  console.log(`  ${await response.text()}`);
}

// Errors keep their class, code and cause across a process boundary (here: JSON text).
const overTheWire = JSON.stringify(serializeError(new PaymentDeclinedError('Card expired')));
const revived = deserializeError(overTheWire);
console.log(
  `revived ${revived.name}: instanceof PaymentDeclinedError = ${revived instanceof PaymentDeclinedError}`,
);

server.close();
