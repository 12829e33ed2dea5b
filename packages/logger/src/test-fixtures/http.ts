import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach } from 'vitest';
import { createLogger, type Logger } from '../create-logger.ts';
import { type HttpRequestLoggerOptions, httpRequestLogger } from '../http-request-logger.ts';
import { type Capture, capture, type LogRecord } from './capture.ts';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

export async function listen(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server whose requests go through the request logger, then `handle`. */
export async function serve(
  handle: (request: IncomingMessage, response: ServerResponse, logger: Logger) => void,
  options: HttpRequestLoggerOptions = {},
  style: 'next' | 'plain' = 'next',
): Promise<{ url: string; output: Capture; requests(): LogRecord[] }> {
  const output = capture();
  const logger = createLogger({ destination: { stream: output.stream }, level: 'debug' });
  const logRequests = httpRequestLogger(logger, options);
  const url = await listen((request, response) => {
    if (style === 'next') {
      logRequests(request, response, () => handle(request, response, logger));
    } else {
      logRequests(request, response);
      handle(request, response, logger);
    }
  });
  const requests = () => output.records().filter((record) => record.req !== undefined);
  return { url, output, requests };
}

/** Waits until the request line has been written (it follows the response). */
export async function lineCount(output: Capture, count: number): Promise<void> {
  for (let attempt = 0; attempt < 200 && output.lines.length < count; attempt++) await sleep(1);
}
