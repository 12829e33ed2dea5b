import { fileURLToPath } from 'node:url';
import { runToExit } from '@rampart/test-harness';
import { describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

function runScript(script: string) {
  return runToExit(
    process.execPath,
    ['--conditions=@rampart/source', '--input-type=module', '-e', script],
    { cwd: packageDirectory, timeoutMs: 15_000 },
  );
}

describe('lifecycle', () => {
  it("leaves no timer or listener behind once calls settle, even with ref'd timers", async () => {
    const result = await runScript(`
      import { backoff, createRetryPolicy } from '@rampart/retry';
      const policy = createRetryPolicy({
        unref: false,
        attemptTimeoutMs: 60_000,
        maxElapsedMs: 120_000,
        backoff: backoff.constant({ delayMs: 5 }),
      });
      const controller = new AbortController();
      let failures = 0;
      const results = await Promise.allSettled([
        policy.execute(({ signal }) => (signal.aborted ? 'no' : 'read the signal')),
        policy.execute(async () => { if (failures++ < 2) throw new Error('flaky'); return 'retried'; }, { signal: controller.signal }),
        policy.execute(async () => { throw new TypeError('bug'); }),
      ]);
      console.log(JSON.stringify(results.map((r) => r.status)));
      console.log(JSON.stringify(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout')));
    `);
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      '["fulfilled","fulfilled","rejected"]',
      '[]',
    ]);
  });

  it('keeps a script alive through a backoff wait: awaiting retry() finishes with exit 0', async () => {
    const result = await runScript(`
      import { backoff, retry } from '@rampart/retry';
      let attempts = 0;
      const value = await retry(
        async () => { if (++attempts < 3) throw new Error('flaky'); return 'done after ' + attempts; },
        { backoff: backoff.constant({ delayMs: 200 }), shouldRetry: () => true },
      );
      console.log(value);
    `);
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('done after 3');
  });

  it('lets a process exit during a wait only when asked with unref: true', async () => {
    const result = await runScript(`
      import { backoff, createRetryPolicy } from '@rampart/retry';
      const policy = createRetryPolicy({ unref: true, backoff: backoff.constant({ delayMs: 60_000 }), maxElapsedMs: 600_000, maxDelayMs: 60_000 });
      policy.execute(async () => { throw new Error('down'); }).catch(() => {});
      console.log('waiting');
    `);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('waiting');
  });
});
