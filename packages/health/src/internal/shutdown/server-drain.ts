import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ShutdownServer } from '../../shutdown-options.ts';

/** How often connections that became idle are closed while servers drain, in milliseconds. */
export const IDLE_SWEEP_MS = 100;

/**
 * Tracks the requests in flight on a set of servers, and closes them gracefully: stop
 * accepting, tell keep-alive clients to reconnect elsewhere (`Connection: close`), close
 * idle connections, and wait for in-flight requests to finish.
 */
export class ServerDrain {
  readonly #servers = new Set<ShutdownServer>();
  readonly #active = new Set<ServerResponse>();
  #closing = false;

  readonly #onRequest = (_request: IncomingMessage, response: ServerResponse): void => {
    this.#active.add(response);
    response.once('close', () => this.#active.delete(response));
    if (this.#closing && !response.headersSent) response.setHeader('connection', 'close');
  };

  add(server: ShutdownServer): void {
    if (this.#servers.has(server)) return;
    this.#servers.add(server);
    server.on?.('request', this.#onRequest);
  }

  /** Whether any server was added. */
  hasServers(): boolean {
    return this.#servers.size > 0;
  }

  /** Requests in flight. */
  inFlight(): number {
    return this.#active.size;
  }

  /** Marks every response, present and future, with `Connection: close`. */
  preferClose(): void {
    this.#closing = true;
    for (const response of this.#active) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
  }

  /**
   * Stops accepting and resolves once every connection of every server has ended. Connections
   * that become idle later (a keep-alive connection whose request finished, including requests
   * that started before this drain tracked them) are closed by a sweep every
   * {@link IDLE_SWEEP_MS} ms, which never keeps the process alive.
   */
  close(): Promise<void> {
    this.preferClose();
    const closed = [...this.#servers].map(
      (server) =>
        new Promise<void>((resolve) => {
          const sweep = setInterval(() => server.closeIdleConnections?.(), IDLE_SWEEP_MS);
          sweep.unref();
          const done = (): void => {
            clearInterval(sweep);
            resolve();
          };
          try {
            const result = server.close(() => done());
            // Fastify's close() returns a promise and may not call a callback.
            if (result instanceof Promise) result.then(done, done);
          } catch {
            done(); // not listening
          }
          server.closeIdleConnections?.();
        }),
    );
    return Promise.all(closed).then(() => undefined);
  }

  /** Destroys every connection left; for a forced exit. */
  destroyAll(): void {
    for (const server of this.#servers) {
      try {
        server.closeAllConnections?.();
      } catch {
        // nothing more can be done
      }
    }
  }

  /** Stops tracking requests. */
  detach(): void {
    for (const server of this.#servers) server.off?.('request', this.#onRequest);
  }
}
