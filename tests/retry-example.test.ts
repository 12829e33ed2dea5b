import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

describe('examples/retry', () => {
  it('retries, honours Retry-After, times out, stops on abort and keeps a storm in budget', async () => {
    const result = await runExample('retry');
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    // 1. two 503s retried, then the answer
    expect(out).toMatch(/inventory: attempt 1 failed \(HttpError: HTTP 503\)/);
    expect(out).toMatch(/inventory: attempt 2 failed \(HttpError: HTTP 503\)/);
    expect(out).toMatch(/→ \{"stock":42\}/);
    // 2. the server's Retry-After: 1 is the wait
    expect(out).toMatch(/attempt 1 failed \(HttpError: HTTP 429\), retrying in 1000 ms/);
    expect(out).toMatch(/→ \{"stock":7\}/);
    // 3. a 400 is not retried and rejects with the original error
    expect(out).toMatch(
      /gave up after 1 attempt\(s\): not-retryable\n.*→ rejected with HttpError: HTTP 400/,
    );
    // 4. each attempt of a hanging call times out
    expect(out).toMatch(
      /→ rejected with TimeoutError: inventory-hangs: attempt 2 timed out after 300 ms/,
    );
    // 5. the caller's abort wins at once
    expect(out).toMatch(
      /gave up after 1 attempt\(s\): aborted\n.*→ rejected with Error: the client went away/,
    );
    // 6. the budget keeps 200 failing callers well under 800 requests
    const storm = /the dependency received (\d+) requests/.exec(out);
    expect(Number(storm?.[1])).toBeGreaterThanOrEqual(200);
    expect(Number(storm?.[1])).toBeLessThan(300);
    expect(out).toMatch(/done\n$/);
  });
});
