import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasRedisServer, startRedisServer } from './index.ts';
import { sendCommand } from './resp.ts';

function ping(port: number, timeoutMs = 1000): Promise<unknown> {
  return sendCommand({ host: '127.0.0.1', port, args: ['PING'], timeoutMs });
}

async function serverPid(port: number): Promise<number> {
  const info = String(await sendCommand({ host: '127.0.0.1', port, args: ['INFO', 'server'] }));
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

describe.runIf(hasRedisServer())('startRedisServer', () => {
  it('starts a server on 127.0.0.1 that answers PING, and stop leaves nothing behind', async () => {
    const server = await startRedisServer();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThanOrEqual(20_000);
    expect(server.port).toBeLessThanOrEqual(40_000);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await expect(ping(server.port)).resolves.toBe('PONG');
    const dir = String(
      (await sendCommand({ ...server, args: ['CONFIG', 'GET', 'dir'] }).then((reply) =>
        Array.isArray(reply) ? reply[1] : undefined,
      )) ?? '',
    );
    expect(existsSync(dir)).toBe(true);

    await server.stop();
    await server.stop(); // idempotent
    await expect(ping(server.port)).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(dir)).toBe(false);
  });

  it('runs with persistence off and the given extra args', async () => {
    await using server = await startRedisServer({ args: ['--maxmemory', '10mb'] });
    const config = async (name: string): Promise<unknown> =>
      sendCommand({ ...server, args: ['CONFIG', 'GET', name] });
    await expect(config('save')).resolves.toEqual(['save', '']);
    await expect(config('appendonly')).resolves.toEqual(['appendonly', 'no']);
    await expect(config('maxmemory')).resolves.toEqual(['maxmemory', String(10 * 1024 * 1024)]);
  });

  it('answers again on the same port after kill then restart', async () => {
    await using server = await startRedisServer();
    const firstPid = await serverPid(server.port);
    await server.kill();
    await expect(ping(server.port)).rejects.toThrow(/ECONNREFUSED/);

    await server.restart();
    await expect(ping(server.port)).resolves.toBe('PONG');
    expect(await serverPid(server.port)).not.toBe(firstPid);

    await server.stop();
    await server.restart(); // restart also works after a graceful stop
    await expect(ping(server.port)).resolves.toBe('PONG');
  });

  it('freeze makes PING time out with the connection open; thaw makes it answer', async () => {
    await using server = await startRedisServer();
    await server.freeze();
    await expect(ping(server.port, 200)).rejects.toThrow(/timed out/);
    await server.thaw();
    await expect(ping(server.port)).resolves.toBe('PONG');
  });

  it('stops a frozen server', async () => {
    const server = await startRedisServer();
    await server.freeze();
    await server.stop();
    await expect(ping(server.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects with the server output when redis-server cannot start', async () => {
    await expect(startRedisServer({ args: ['--no-such-directive', 'x'] })).rejects.toThrow(
      /exited before answering PING[\s\S]*no-such-directive/,
    );
  });

  it('rejects when the requested port is taken', async () => {
    await using server = await startRedisServer();
    await expect(startRedisServer({ port: server.port })).rejects.toThrow(/in use|Another server/);
  });
});
