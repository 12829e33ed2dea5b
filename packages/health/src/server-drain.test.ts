import { EventEmitter, once } from 'node:events';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createShutdown, type ShutdownProcess } from './index.ts';

class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

const agents: Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

function get(port: number, path: string, agent: Agent) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            body,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('closing a real node:http server', () => {
  it('drains a request in flight, tells keep-alive clients to close and closes idle connections', async () => {
    const releases: (() => void)[] = [];
    const server = createServer((request, response) => {
      if (request.url === '/slow') releases.push(() => response.end('slow done'));
      else response.end('quick');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    agents.push(agent);

    // One idle keep-alive connection, one request in flight.
    const before = await get(port, '/quick', agent);
    expect(before.connection).toBe('keep-alive');
    const slow = get(port, '/slow', agent);
    while (releases.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const target = new FakeProcess();
    const shutdown = createShutdown({
      process: target,
      servers: [server],
      drainDelayMs: 0,
      timeoutMs: 10_000,
    });
    expect(shutdown.inFlight()).toBe(0); // tracking starts with the coordinator
    const result = shutdown.start('test');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.listening).toBe(false);
    expect(shutdown.state).toBe('closing-servers');
    releases[0]?.();
    // It started before the coordinator tracked requests: it still gets its answer, and its
    // keep-alive connection is closed once idle, so the server closes.
    expect(await slow).toMatchObject({ status: 200, body: 'slow done' });
    expect(await result).toMatchObject({ outcome: 'completed' });
    expect(target.exits).toEqual([]);
  });

  it('counts requests that arrive after the coordinator and marks them Connection: close once it starts', async () => {
    const releases: (() => void)[] = [];
    const server = createServer((_request, response) => {
      releases.push(() => response.end('done'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    const target = new FakeProcess();
    const shutdown = createShutdown({
      process: target,
      servers: [server],
      drainDelayMs: 1_000,
      timeoutMs: 10_000,
    });
    const first = get(port, '/', agent);
    while (releases.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(shutdown.inFlight()).toBe(1);
    void shutdown.start('test');
    releases[0]?.();
    expect((await first).connection).toBe('close'); // during the drain delay, still served
    shutdown.dispose();
    server.closeAllConnections();
    server.close();
  });
});
