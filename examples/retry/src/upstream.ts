import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A deliberately unreliable HTTP dependency, with one route per failure mode. */
export interface Upstream {
  readonly url: string;
  /** Requests received per path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    switch (path) {
      case '/flaky': // fails twice, then answers
        return count <= 2 ? send(503, { error: 'overloaded' }) : send(200, { stock: 42 });
      case '/limited': // asks the caller to come back in 1 second
        return count === 1
          ? send(429, { error: 'slow down' }, { 'retry-after': '1' })
          : send(200, { stock: 7 });
      case '/invalid': // a client error: retrying cannot help
        return send(400, { error: 'unknown sku' });
      case '/hangs': // never answers
        return undefined;
      default: // down
        return send(503, { error: 'down' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
