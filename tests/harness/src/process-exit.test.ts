import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedisServer, runToExit } from './index.ts';
import { sendCommand } from './resp.ts';
import { exitOf, HARNESS_URL, readRecords, spawnOwner } from './test-support.ts';

// A private TMPDIR gives these owners their own record dir.
const privateTmp = mkdtempSync(join(tmpdir(), 'rampart-exit-test-'));
const env = { ...process.env, TMPDIR: privateTmp };

afterAll(() => rmSync(privateTmp, { recursive: true, force: true }));

function ping(port: number): Promise<unknown> {
  return sendCommand({ host: '127.0.0.1', port, args: ['PING'] });
}

describe.runIf(hasRedisServer())('cleanup when the owning process ends', () => {
  it('kills the servers of a process that exits without stopping them', async () => {
    const script = `
      const { startRedisServer } = await import(${JSON.stringify(HARNESS_URL)});
      const server = await startRedisServer();
      console.log(server.port);`; // ends with the server still running: it must not hang
    const result = await runToExit(process.execPath, ['--input-type=module', '-e', script], {
      env,
    });
    expect(result).toMatchObject({ code: 0, timedOut: false });
    await expect(ping(Number(result.stdout.trim()))).rejects.toThrow(/ECONNREFUSED/);
    expect(readRecords(privateTmp)).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'kills the servers on %s and still lets the signal end the process',
    async (signal) => {
      const { owner, port } = await spawnOwner(env);
      await expect(ping(port)).resolves.toBe('PONG');
      owner.kill(signal);
      await expect(exitOf(owner)).resolves.toEqual({ code: null, signal });
      await expect(ping(port)).rejects.toThrow(/ECONNREFUSED/);
      expect(readRecords(privateTmp)).toEqual([]);
    },
  );
});
