/**
 * `pnpm demo` (scripts/demo.ts) end to end: it starts the hardened service in a child
 * process, runs its scripted burst, stops the service with SIGTERM and prints its report,
 * then exits on its own with code 0. About 17 seconds of real time: the burst is the demo.
 */
import { fileURLToPath } from 'node:url';
import { runToExit } from '@rampart/test-harness';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('pnpm demo', () => {
  it('runs the scripted burst, reports it, and exits cleanly', async () => {
    const run = await runToExit(process.execPath, ['scripts/demo.ts'], {
      cwd: root,
      timeoutMs: 50_000,
    });
    expect(run.timedOut, run.stdout + run.stderr).toBe(false);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = run.stdout;
    for (const section of [
      'Timeline',
      'Requests',
      'Rate limiting',
      'Cache',
      'Circuit breaker',
      'Retries',
      'Latency',
      'Operator log',
      'Shutdown',
    ]) {
      expect(report).toMatch(new RegExp(`^${section} `, 'm'));
    }
    expect(report).toContain('none hung or failed to get an answer');
    // The flooder gets its burst of 60 (plus what refills meanwhile), no more.
    const [, admitted = '0', sent = '0'] =
      /the flooder \S+ got (\d+) of (\d+) through/.exec(report) ?? [];
    expect(Number(sent)).toBe(400);
    expect(Number(admitted)).toBeGreaterThanOrEqual(60);
    expect(Number(admitted)).toBeLessThan(80);
    expect(report).toContain('well-behaved clients were limited 0 times');
    expect(report).toMatch(/closed → open/);
    expect(report).toMatch(/half-open → closed/);
    expect(report).toMatch(/client: p50 [\d.]+ ms · p95 [\d.]+ ms · p99 [\d.]+ ms/);
    expect(report).toContain('SIGTERM → exited on its own with code 0');
    // Off a terminal, progress is a line per phase (and every two seconds), on stderr.
    expect(run.stderr).toContain('[4/4] upstream recovered');
    expect(run.stderr).not.toContain('\x1b[2K');
  }, 60_000);
});
