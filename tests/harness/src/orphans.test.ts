import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedisServer, runToExit } from './index.ts';
import { isProcessRunning } from './process-state.ts';
import { sendCommand } from './resp.ts';
import { exitOf, HARNESS_URL, readRecords, spawnOwner } from './test-support.ts';

// A private TMPDIR keeps these records away from other test processes loading the harness.
const privateTmp = mkdtempSync(join(tmpdir(), 'rampart-orphan-test-'));
const env = { ...process.env, TMPDIR: privateTmp };
const leftovers: number[] = [];

afterAll(() => {
  for (const pid of leftovers) if (isProcessRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(privateTmp, { recursive: true, force: true });
});

describe.runIf(hasRedisServer())('orphan cleanup', () => {
  it('kills a server whose owner was SIGKILLed when the harness loads next', async () => {
    const { owner, port } = await spawnOwner(env);
    const [record] = readRecords(privateTmp).filter((found) => found.ownerPid === owner.pid);
    if (record === undefined) throw new Error('the owner left no record');
    leftovers.push(record.pid);
    expect(record.port).toBe(port);

    owner.kill('SIGKILL'); // no exit hooks run: the server is orphaned
    await exitOf(owner);
    expect(isProcessRunning(record.pid)).toBe(true);
    await expect(sendCommand({ host: '127.0.0.1', port, args: ['PING'] })).resolves.toBe('PONG');

    const load = await runToExit(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(HARNESS_URL)});`],
      { env },
    );
    expect(load).toMatchObject({ code: 0, timedOut: false });

    while (isProcessRunning(record.pid)) await sleep(10);
    await expect(sendCommand({ host: '127.0.0.1', port, args: ['PING'] })).rejects.toThrow();
    expect(readRecords(privateTmp)).toEqual([]);
    expect(existsSync(record.dir ?? '')).toBe(false);
  });
});
