import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UnavailableError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker, createCircuitBreakerRegistry } from './index.ts';
import { controlledFunction, rejectionOf } from './test-support.ts';

describe('dispose', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects later calls with E_UNAVAILABLE and leaves nothing scheduled', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'disposable', timeoutMs: 5_000 });
    const inFlight = rejectionOf(breaker.execute('a'));
    expect(vi.getTimerCount()).toBe(1);
    await breaker.dispose();
    expect(vi.getTimerCount()).toBe(0);
    const error = await inFlight;
    expect(error).toBeInstanceOf(UnavailableError);
    expect(calls[0]?.signal.reason).toBe(error);
    const later = await rejectionOf(breaker.execute('b'));
    expect(later).toMatchObject({ code: 'E_UNAVAILABLE', retryable: false });
    expect(calls).toHaveLength(1);
    await breaker.dispose(); // idempotent
  });

  it('aborts the signal of calls without a timeout', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'untimed', timeoutMs: false });
    const inFlight = breaker.execute('a').catch((error: unknown) => error);
    await breaker.dispose();
    expect(calls[0]?.signal.aborted).toBe(true);
    calls[0]?.reject(calls[0].signal.reason); // a function that honours its signal
    expect(await inFlight).toBeInstanceOf(UnavailableError);
  });

  it('works with await using', async () => {
    const { fn, calls } = controlledFunction();
    let signal: AbortSignal | undefined;
    {
      await using breaker = createCircuitBreaker(fn, { name: 'scoped', timeoutMs: false });
      breaker.execute('a').catch(() => undefined);
      signal = calls[0]?.signal;
      expect(signal?.aborted).toBe(false);
    }
    expect(signal?.aborted).toBe(true);
  });

  it('freezes the state: a disposed open circuit never goes half-open', async () => {
    const breaker = createCircuitBreaker(
      async (_signal: AbortSignal) => {
        throw new Error('down');
      },
      { name: 'frozen', volumeThreshold: 1, resetTimeoutMs: 1_000 },
    );
    await breaker.execute().catch(() => undefined);
    await breaker.dispose();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(breaker.state).toBe('open');
  });

  it('keeps manual control harmless after dispose', async () => {
    const breaker = createCircuitBreaker(async (_signal: AbortSignal) => 1, { name: 'gone' });
    await breaker.dispose();
    breaker.isolate().release();
    breaker.reset();
    expect(breaker.state).toBe('closed');
  });
});

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module script in a child Node process; kills it after 15 s. */
async function runChild(script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@rampart/source', '--input-type=module', '-e', script],
    { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(killer);
  return { code, output };
}

/**
 * Uses breakers and a registry, leaving calls pending with long timeouts. Timers are counted
 * by wrapping setTimeout (unref()ed timers are invisible to process.getActiveResourcesInfo()).
 */
const USE_BREAKERS = `
  const live = new Set();
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  globalThis.setTimeout = (callback, ms, ...rest) => {
    const timer = set((...values) => { live.delete(timer); callback(...values); }, ms, ...rest);
    live.add(timer);
    return timer;
  };
  globalThis.clearTimeout = (timer) => { live.delete(timer); clear(timer); };
  const timers = () => live.size;
  const { createCircuitBreaker, createCircuitBreakerRegistry } = await import('./src/index.ts');
  const breaker = createCircuitBreaker(async (x, signal) => x, { name: 'child', timeoutMs: 600_000 });
  await breaker.execute(1);
  breaker.execute(new Promise(() => {})).catch(() => {});
  const registry = createCircuitBreakerRegistry({ defaults: { timeoutMs: 600_000 } });
  for (let index = 0; index < 100; index++) {
    await registry.get('b' + index, async (x, signal) => x).execute(index);
  }
  registry.get('stuck', (signal) => new Promise(() => {})).execute().catch(() => {});
  console.log('timers while calls are pending: ' + timers());
`;

describe('process exit', () => {
  it("keeps a script alive until an awaited call's timeout, then exits with 0", async () => {
    const { code, output } = await runChild(`
      const { createCircuitBreaker } = await import('./src/index.ts');
      const breaker = createCircuitBreaker((signal) => new Promise(() => {}), { name: 'stuck', timeoutMs: 300 });
      const outcome = await breaker.execute().catch((error) => error.code);
      console.log('outcome: ' + outcome);
    `);
    expect(output).toContain('outcome: E_TIMEOUT');
    expect(code).toBe(0);
  }, 20_000);

  it('leaves no timer at all after dispose, and the process exits on its own', async () => {
    const { code, output } = await runChild(`${USE_BREAKERS}
      await breaker.dispose();
      await registry.dispose();
      console.log('timers after dispose: ' + timers());
    `);
    expect(output).toContain('timers after dispose: 0');
    expect(code).toBe(0);
  }, 20_000);
});

describe('registry dispose', () => {
  it('disposes every breaker and refuses new ones', async () => {
    const registry = createCircuitBreakerRegistry();
    const breaker = registry.get('a', async (_signal: AbortSignal) => 1);
    await registry.dispose();
    await expect(breaker.execute()).rejects.toMatchObject({ code: 'E_UNAVAILABLE' });
    expect(registry.size).toBe(0);
    expect(() => registry.get('b', async (_signal: AbortSignal) => 1)).toThrow(UnavailableError);
    await registry[Symbol.asyncDispose]();
  });
});
