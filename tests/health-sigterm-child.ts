/**
 * Run as a child process by tests/health-shutdown.test.ts: a node:http server with a
 * readiness probe, a `/work` route (100 ms) and a `/slow` one (1.5 s), shut down by `createShutdown` on SIGTERM. Prints
 * `LISTENING <url>` once it serves, one `HANDLER <name>` per shutdown handler and the
 * coordinator's log lines as JSON, and must then exit on its own with code 0.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealth, createShutdown, healthHandler, shutdownOrder } from '@rampart/health';

const health = createHealth({ checks: { dependency: () => true } });
const readiness = healthHandler(health, { group: 'readiness' });
const server = createServer((request, response) => {
  if (request.url === '/readyz') return readiness(request, response);
  setTimeout(() => response.end('done'), request.url === '/slow' ? 1_500 : 100);
});
const line = (details: object, message: string): void => {
  process.stdout.write(`${JSON.stringify({ ...details, msg: message })}\n`);
};
const shutdown = createShutdown({
  health,
  servers: [server],
  drainDelayMs: 400,
  timeoutMs: 8_000,
  logger: { info: line, warn: line, error: line },
});
for (const [name, order] of Object.entries(shutdownOrder).reverse()) {
  shutdown.onShutdown(
    name,
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      process.stdout.write(`HANDLER ${name}\n`);
    },
    { order },
  );
}
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`LISTENING http://127.0.0.1:${port}\n`);
});
