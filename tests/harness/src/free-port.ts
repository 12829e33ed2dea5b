import { createServer } from 'node:net';

/** Offset Redis Cluster adds to a node's port for its cluster bus. */
export const CLUSTER_BUS_OFFSET: number = 10_000;

const LOWEST_PORT = 20_000;
const HIGHEST_PORT = 40_000;

/** Resolves `true` when nothing listens on `host:port` (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Picks a random port in 20000–40000 that is free on 127.0.0.1 together with its
 * cluster-bus port (`port + 10000`), so any server started there may join a cluster.
 *
 * The port is only free at the time of the check: callers retry on `EADDRINUSE`.
 *
 * @throws {Error} when no free port turned up after 100 tries.
 */
export async function findFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (HIGHEST_PORT - LOWEST_PORT + 1));
    if ((await isPortFree(port)) && (await isPortFree(port + CLUSTER_BUS_OFFSET))) return port;
  }
  throw new Error('No free port pair (port, port + 10000) found in 20000–40000 on 127.0.0.1');
}
