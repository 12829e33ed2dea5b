/**
 * The hardened service in a child process that starts it as src/main.ts does and then sends
 * itself SIGTERM with a request in flight: the listener closes at once, the request is
 * drained (or, past the shutdown deadline, cut off with a 503), every step is logged in
 * order, and the process then exits on its own, with and without Redis: nothing the service
 * opened (sockets, timers, Redis connections, metrics, logger) keeps it alive.
 */
import { fileURLToPath } from 'node:url';
import {
  hasRedisServer,
  type RedisServer,
  runToExit,
  startRedisServer,
} from '@rampart/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(
  new URL('../examples/hardened-service/test-support/sigterm-child.ts', import.meta.url),
);

interface ChildRun {
  code: number | null;
  timedOut: boolean;
  result: { status: number; code?: string; connection: string | null; refused: boolean };
  messages: string[];
  stderr: string;
}

async function runChild(env: Record<string, string>): Promise<ChildRun> {
  const run = await runToExit(process.execPath, ['--conditions=@rampart/source', child], {
    env: { ...process.env, LOG_LEVEL: 'info', PROCESS_METRICS: 'true', ...env },
    timeoutMs: 20_000,
  });
  const lines = run.stdout.split('\n');
  const resultLine = lines.find((line) => line.startsWith('RESULT '));
  const messages = lines.flatMap((line) => {
    try {
      return [(JSON.parse(line) as { msg: string }).msg];
    } catch {
      return [];
    }
  });
  return {
    code: run.code,
    timedOut: run.timedOut,
    result: JSON.parse(resultLine?.slice('RESULT '.length) ?? 'null'),
    messages,
    stderr: run.stderr,
  };
}

function expectStepsInOrder(messages: readonly string[], steps: readonly string[]): void {
  const positions = steps.map((step) => messages.findIndex((message) => message.startsWith(step)));
  expect(positions, messages.join('\n')).not.toContain(-1);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

describe('hardened service shutdown on SIGTERM, in a child process', () => {
  it('drains the request in flight, refuses new connections and exits on its own', async () => {
    const run = await runChild({ SCENARIO: 'drain' });
    expect(run.timedOut, run.stderr).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ status: 200, connection: 'close', refused: true });
    expectStepsInOrder(run.messages, [
      'listening on',
      'shutdown: SIGTERM received; readiness fails from now on',
      'shutdown: stopped accepting connections, draining 1 requests',
      'shutdown: every in-flight request finished',
      'shutdown: closed cache',
      'shutdown: closed rate limiter',
      'shutdown: closed breaker',
      'shutdown: closed metrics',
      'shutdown complete',
    ]);
  });

  it('cuts off a request that outlives the shutdown deadline with a 503, then exits', async () => {
    const run = await runChild({ SCENARIO: 'deadline' });
    expect(run.timedOut, run.stderr).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ status: 503, code: 'E_UNAVAILABLE', refused: true });
    expectStepsInOrder(run.messages, [
      'shutdown: SIGTERM received; readiness fails from now on',
      'shutdown: 1 requests still running after 300 ms; aborting them',
      'shutdown complete',
    ]);
  });

  describe.runIf(hasRedisServer())('with Redis', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server?.stop());

    it('closes its Redis connection and exits on its own', async () => {
      const run = await runChild({ SCENARIO: 'drain', REDIS_URL: server.url });
      expect(run.timedOut, run.stderr).toBe(false);
      expect(run.code, run.stderr).toBe(0);
      expect(run.result).toMatchObject({ status: 200, refused: true });
      expectStepsInOrder(run.messages, [
        'Redis connection ready',
        'shutdown: SIGTERM received; readiness fails from now on',
        'shutdown: closed Redis connection',
        'shutdown complete',
      ]);
    });
  });
});
