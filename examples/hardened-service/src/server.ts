import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toProblemResponse, ValidationError } from '@rampart/errors';
import type { ServiceConfig } from './config.ts';
import { HeadersTooLargeError, RequestTimeoutError } from './errors.ts';
import { securityHeaders } from './security-headers.ts';

/** The HTTP server with what a graceful shutdown needs. */
export interface HttpServer {
  readonly server: Server;
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:3000`). */
  listen(): Promise<string>;
  /** Requests being handled right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, closes idle keep-alive connections, and answers further
   * requests on open connections with `Connection: close`.
   */
  stopAccepting(): void;
  /** Resolves `true` once no request is in flight, or `false` when `timeoutMs` passes first. */
  drained(timeoutMs: number): Promise<boolean>;
  /** Destroys every connection left and resolves once the server is closed. */
  closeConnections(): Promise<void>;
}

/** A raw HTTP response for errors the parser finds before any handler runs. */
function rawProblem(error: unknown): string {
  const problem = toProblemResponse(error);
  const headers = {
    ...securityHeaders,
    ...problem.headers,
    'content-length': String(Buffer.byteLength(problem.body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${problem.status} ${JSON.parse(problem.body).title}\r\n${lines.join('\r\n')}\r\n\r\n${problem.body}`;
}

/** The problem for a request the HTTP parser rejected. */
function parserError(code: unknown): Error {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new HeadersTooLargeError('The request headers are larger than 16 KiB');
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new RequestTimeoutError('The request was not received in time');
  }
  return new ValidationError('The request is not valid HTTP');
}

/**
 * Creates the `node:http` server with limits a public API needs: a whole request must arrive
 * within `requestTimeoutMs` and its headers within `headersTimeoutMs` (both checked every
 * second, so a slowloris client is cut off on time), idle keep-alive connections close after
 * `keepAliveTimeoutMs`, headers are capped at 16 KiB, and malformed requests get a
 * problem+json 400 (or 408, 431) with the security headers instead of Node's bare default.
 */
export function createHttpServer(
  config: ServiceConfig,
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): HttpServer {
  const active = new Set<ServerResponse>();
  let draining = false;
  let closed: Promise<void> | undefined;
  const idleWaiters = new Set<() => void>();

  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: 16_384,
      requireHostHeader: true,
    },
    (request, response) => {
      active.add(response);
      response.once('close', () => {
        active.delete(response);
        if (active.size === 0) for (const wake of idleWaiters) wake();
      });
      if (draining) response.setHeader('connection', 'close');
      handle(request, response);
    },
  );
  server.maxRequestsPerSocket = 1_000;

  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(rawProblem(parserError(error.code)));
  });

  return {
    server,
    async listen() {
      server.listen(config.port, config.host);
      await once(server, 'listening');
      const { address, port, family } = server.address() as AddressInfo;
      const host = family === 'IPv6' ? `[${address}]` : address;
      return `http://${host}:${port}`;
    },
    inFlight: () => active.size,
    stopAccepting() {
      draining = true;
      // Keep-alive clients of requests still running must reconnect elsewhere afterwards.
      for (const response of active) {
        if (!response.headersSent) response.setHeader('connection', 'close');
      }
      closed ??= new Promise((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
    },
    drained(timeoutMs) {
      if (active.size === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const finish = (drained: boolean): void => {
          clearTimeout(timer);
          idleWaiters.delete(wake);
          resolve(drained);
        };
        const wake = (): void => finish(true);
        const timer = setTimeout(() => finish(false), timeoutMs);
        timer.unref();
        idleWaiters.add(wake);
      });
    },
    async closeConnections() {
      closed ??= new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
