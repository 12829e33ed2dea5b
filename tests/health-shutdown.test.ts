/**
 * createShutdown in a real process: a child serves slow requests under load and gets
 * SIGTERM. Readiness must turn 503 before the listener closes, every request the server
 * accepted must finish with 200, the handlers must run in order, and the process must exit
 * on its own with code 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./health-sigterm-child.ts', import.meta.url));
let running: ChildProcess | undefined;

afterEach(() => {
  if (running?.exitCode === null) running.kill('SIGKILL');
});

type Observation =
  | { readonly kind: 'ready'; readonly status: number }
  | { readonly kind: 'refused' }
  | { readonly kind: 'work'; readonly status: number }
  | { readonly kind: 'error'; readonly code: string };

/** Connecting to a listener that is closing fails with one of these: the listener is gone. */
const LISTENER_GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']);

function codeOf(error: unknown): string {
  return (error as { cause?: { code?: string } }).cause?.code ?? String(error);
}

describe('createShutdown on SIGTERM, in a child process under load', () => {
  it('fails readiness first, drains in-flight requests, runs handlers in order and exits 0', async () => {
    running = spawn(process.execPath, ['--conditions=@rampart/source', child], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    running.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = once(running, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const url = await new Promise<string>((resolve, reject) => {
      const reader = createInterface({ input: running?.stdout as NodeJS.ReadableStream });
      reader.on('line', (line) => {
        lines.push(line);
        if (line.startsWith('LISTENING ')) resolve(line.slice('LISTENING '.length));
      });
      exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
    });

    const observations: Observation[] = [];
    let stop = false;
    // Like a load balancer, the workers send no new requests once readiness failed.
    let deregistered = false;
    const worker = async (): Promise<void> => {
      while (!stop && !deregistered) {
        try {
          const response = await fetch(`${url}/work`);
          await response.text();
          observations.push({ kind: 'work', status: response.status });
        } catch (error) {
          observations.push({ kind: 'error', code: codeOf(error) });
        }
      }
    };
    const prober = async (): Promise<void> => {
      while (!stop) {
        try {
          const response = await fetch(`${url}/readyz`, { headers: { connection: 'close' } });
          await response.text();
          observations.push({ kind: 'ready', status: response.status });
          if (response.status === 503) deregistered = true;
        } catch (error) {
          const code = codeOf(error);
          observations.push(
            LISTENER_GONE.has(code) ? { kind: 'refused' } : { kind: 'error', code },
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const load = [prober(), ...Array.from({ length: 6 }, () => worker())];
    // Let the load run, start slow requests that outlive the drain delay, then SIGTERM.
    while (observations.filter((entry) => entry.kind === 'work').length < 12) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const slow = Array.from({ length: 3 }, () =>
      fetch(`${url}/slow`).then(
        async (response) => ({ status: response.status, body: await response.text() }),
        (error: unknown) => ({ status: 0, body: codeOf(error) }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    running.kill('SIGTERM');
    const [code, signal] = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`child did not exit: ${lines.join('\n')}`)), 15_000),
      ),
    ]);
    stop = true;
    await Promise.all(load);
    expect(await Promise.all(slow)).toEqual(Array(3).fill({ status: 200, body: 'done' }));

    expect({ code, signal }, `${stderr}\n${lines.join('\n')}`).toEqual({ code: 0, signal: null });
    expect(observations.filter((entry) => entry.kind === 'error')).toEqual([]);
    expect(observations.filter((entry) => entry.kind === 'work' && entry.status !== 200)).toEqual(
      [],
    );
    const firstUnready = observations.findIndex(
      (entry) => entry.kind === 'ready' && entry.status === 503,
    );
    const firstRefused = observations.findIndex((entry) => entry.kind === 'refused');
    expect(firstUnready).toBeGreaterThan(-1);
    expect(firstRefused).toBeGreaterThan(firstUnready);
    const readyAfterUnready = observations
      .slice(firstUnready)
      .filter((entry) => entry.kind === 'ready' && entry.status === 200);
    expect(readyAfterUnready).toEqual([]);

    expect(lines.filter((line) => line.startsWith('HANDLER '))).toEqual([
      'HANDLER cache',
      'HANDLER rateLimiter',
      'HANDLER breakers',
      'HANDLER redis',
      'HANDLER metrics',
      'HANDLER logger',
    ]);
    const logged = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as { msg: string; phase: string; inFlight?: number }];
      } catch {
        return [];
      }
    });
    const messages = logged.map((entry) => entry.msg);
    // Requests were in flight when the listener closed, and all of them got their 200 above.
    const closing = logged.find((entry) => entry.phase === 'closing-servers');
    expect(closing?.inFlight).toBeGreaterThanOrEqual(3);
    expect(messages[0]).toBe('shutdown: SIGTERM received; readiness fails from now on');
    expect(messages).toContain('shutdown complete');
    expect(messages.some((message) => message.startsWith('shutdown: stopped accepting'))).toBe(
      true,
    );
  });
});
