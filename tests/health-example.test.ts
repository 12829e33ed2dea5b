import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

describe('examples/health', () => {
  it('probes, fails readiness on a slow dependency, drains on SIGTERM and exits on its own', async () => {
    const result = await runExample('health');
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    // 1. healthy: liveness has no dependency in it, readiness lists them
    expect(out).toMatch(/GET \/livez → 200 pass\n/);
    expect(out).toMatch(/GET \/readyz → 200 pass: database pass, search pass/);
    // 2. a check past its deadline fails readiness, never liveness
    expect(out).toMatch(/GET \/readyz → 503 fail: database fail \(timed out after 200 ms\)/);
    expect(out).toMatch(/past its 200 ms deadline: readiness fails\n.*\nGET \/livez → 200 pass/);
    // 3. a non-critical failure is a warning
    expect(out).toMatch(/GET \/readyz → 200 warn: database pass, search warn \(returned false\)/);
    // 4. SIGTERM: readiness 503 before the listener closes, the slow request answered
    const order = [
      'shutdown: SIGTERM received; readiness fails from now on',
      'GET /readyz → 503 fail\n',
      'shutdown: stopped accepting connections, draining 1 requests',
      'shutdown: closed cache',
      'shutdown: closed breakers',
      'shutdown complete',
    ].map((line) => out.indexOf(line));
    expect(order).not.toContain(-1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/the slow request got 200 "order placed"/);
    expect(out).toMatch(/5\. shutdown completed in \d+ ms; the process exits on its own\n$/);
  });
});
